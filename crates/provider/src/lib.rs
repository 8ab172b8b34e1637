//! The Operator Online provider adapter. The contract, client and errors arrive with the provider issue.
