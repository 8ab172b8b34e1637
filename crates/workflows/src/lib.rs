//! The rights workflows (access, rectification, erasure, restriction, objection, disclosure) and their jobs. Filled by the feature issues.
