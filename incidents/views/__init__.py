"""Pure views of the dataset the dashboard draws: filters, charts, the base map and exports."""
