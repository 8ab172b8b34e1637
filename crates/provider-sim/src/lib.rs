//! A stand-in Operator Online server for local runs, demos and tests. Filled by the provider issue.
