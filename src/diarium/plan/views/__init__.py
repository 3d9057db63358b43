"""The plan's staff pages. Views parse a form, call a service, and read through the
selectors; they never write a model themselves."""
