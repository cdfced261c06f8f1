"""Places: countries, the offline gazetteer, recognising and resolving toponyms, geopy geocoders."""
