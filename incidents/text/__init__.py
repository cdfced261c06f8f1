"""Text helpers every stage shares: folding accents and scripts, calendar words, number words."""
