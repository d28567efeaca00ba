"""The pages of the document space, split by topic: the space and its lists (`space`), one document (`documents`),
folders (`folders`), the bin (`bin`), the plénière's agenda (`agenda`)."""
