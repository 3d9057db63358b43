"""Intake of mail and files into the registry: functional mailboxes read over IMAP, e-mail
messages (.eml, Outlook .msg) taken apart safely, and the bulk import of folder trees
(docs/intake.md). Everything lands through the registry's services: mail in the inbox,
where the registrator chooses one of the three outcomes the law gives; folder trees as
registered documents."""
