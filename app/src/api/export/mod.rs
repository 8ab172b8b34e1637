//! "Download je gegevens": ask for a copy of everything, watch it being made, download it (the
//! download itself is a plain route of the server: a file, not a server function).

mod request;
mod view;

pub use request::{RequestExport, request_export};
pub use view::{ExportView, ExportsView, my_exports};
