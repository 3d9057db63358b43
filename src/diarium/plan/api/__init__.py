"""The plan's REST API: plans and versions, rules in force, "what do I do with", import,
export and adoption, the systems register and its checklists."""
