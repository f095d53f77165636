"""Use cases: the one way in for every write the app, the CLI and the demo make.

One module per group (`assessments`, `plans`, `training_log`, `reviews`, `access`). A write
validates its raw input (raising `errors.InvalidInput` with field paths), checks who may make it
(`errors.Forbidden`), writes in one transaction and returns a result model. Reads that compose
the store and the rules live here too, so a page never calls the store or a rule itself.

`con` is always the asker's cursor: a coach's sees the whole team, a runner link's only that
runner (`store.connection.scoped`), and the store refuses anything else.
"""
