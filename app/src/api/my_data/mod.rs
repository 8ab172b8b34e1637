//! "Mijn gegevens": every item held about the holder, with the facts about it.

mod correct;
mod correct_at_provider;
mod history;
mod view;

pub use correct::{CorrectProfile, ProfileForm, invalid, my_profile};
pub use correct_at_provider::CorrectAtProvider;
pub use history::{
    AccessView, CorrectionView, DirectMarketing, FileRequest, HistoryView, RequestView, ToldView,
    kind_label,
};
#[cfg(feature = "ssr")]
pub(crate) use view::categories;
pub use view::{CategoryView, Fact, ItemView, MyDataView, SourceView, my_data};
