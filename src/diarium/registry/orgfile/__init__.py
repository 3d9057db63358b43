"""The organisation file: a municipality's boards, diary series and number formats,
administrations, units, users and their roles, joint boards with their member
municipalities, as CSV (a zip or folder of one file per sheet), XLSX or YAML.
`diarium organisation import|export` and the staff UI's upload read and write it;
docs/organisation-file.md describes it.

It lives in the registry because it carries the diary series, which are the registry's;
everything else it changes goes through the organisation's services, each change audited."""
