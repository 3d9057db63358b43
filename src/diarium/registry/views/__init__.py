"""The registry's staff pages. Views parse a form, call a service, and read through
selectors; they never write a model themselves."""
