//! "Verwijder mijn account": what deleting will do, asking for it, and the status page that
//! follows the erasure through every system (reached by its link: the account is gone).

mod plan;
mod request;
mod status;

pub use plan::{DeletionPlanView, KeptView, PlannedView, deletion_plan};
pub use request::{DeleteAccount, delete_account};
pub use status::{DeletionStatusView, StepView, deletion_status};
