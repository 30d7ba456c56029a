"""The events app's forms, one module per subject: they validate; services write."""
