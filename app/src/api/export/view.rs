//! The holder's exports as the downloads page shows them: being built (how far), ready (until
//! when, how big), expired.

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportsView {
    pub exports: Vec<ExportView>,
    /// One is being built: a new one cannot be asked for yet, and the page looks again soon.
    pub building: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    pub id: String,
    /// `building`, `ready` or `expired`.
    pub status: String,
    /// `complete`, `pending`, `failed`, `not-held`, or `waiting` before it was read.
    pub provider_state: String,
    pub requested_at: String,
    /// While building: what is being read, in words…
    pub phase: Option<String>,
    /// …and as its key: a catalogue category's id, `provider` or `packing`.
    pub phase_id: Option<String>,
    pub sources_done: i64,
    pub sources_total: i64,
    pub items_done: i64,
    pub ready_at: Option<String>,
    pub expires_at: Option<String>,
    /// "12 KB", "1,2 MB".
    pub size: Option<String>,
}

#[server(endpoint = "my_data/exports", input = server_fn::codec::GetUrl)]
pub async fn my_exports(lang: String) -> Result<ExportsView, AppError> {
    use crate::i18n::tr;
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let (_, account) = crate::auth::require_user().await?;
    let ctx = crate::context::ctx()?;
    let rows = ctx.exports.list(&account.id).await.map_err(|e| {
        crate::auth::fail(crate::auth::internal("the exports could not be read", e))
    })?;
    let local = ctx.facts.local_time();
    let stamp = |at| local.moment(at, lang);
    let phase = |phase: &str| match phase {
        "provider" => ctx.facts.provider.display_name.clone(),
        "packing" => tr(lang, "Inpakken", "Packing").to_owned(),
        id => ctx
            .facts
            .catalogue
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_owned(), |c| c.title.get(lang).to_owned()),
    };
    let exports: Vec<ExportView> = rows
        .into_iter()
        .map(|row| ExportView {
            phase: row.phase.as_deref().map(phase),
            phase_id: row.phase.clone(),
            size: row.size_bytes.map(|bytes| size(bytes, lang)),
            requested_at: stamp(row.requested_at),
            ready_at: row.ready_at.map(stamp),
            expires_at: row.expires_at.map(stamp),
            id: row.id,
            status: row.status,
            provider_state: row.provider_state,
            sources_done: row.sources_done,
            sources_total: row.sources_total,
            items_done: row.items_done,
        })
        .collect();
    Ok(ExportsView {
        building: exports.iter().any(|e| e.status == "building"),
        exports,
    })
}

/// "12 KB" below a megabyte; "2,3 MB" (Dutch) or "2.3 MB" above.
#[cfg(feature = "ssr")]
fn size(bytes: i64, lang: domain::Lang) -> String {
    let bytes = bytes.max(0);
    if bytes < 1_000_000 {
        // Whole kilobytes, at least one: a small copy is "12 KB", never "0,0 MB".
        return format!("{} KB", ((bytes + 500) / 1_000).max(1));
    }
    let tenths = (bytes + 50_000) / 100_000;
    let separator = match lang {
        domain::Lang::Nl => ',',
        domain::Lang::En => '.',
    };
    format!("{}{separator}{} MB", tenths / 10, tenths % 10)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::size;
    use domain::Lang;

    #[test]
    fn a_small_copy_is_shown_in_kilobytes_and_a_large_one_in_megabytes_with_the_languages_comma() {
        assert_eq!(size(12_345, Lang::Nl), "12 KB");
        assert_eq!(size(80, Lang::En), "1 KB");
        assert_eq!(size(999_400, Lang::Nl), "999 KB");
        assert_eq!(size(2_345_678, Lang::Nl), "2,3 MB");
        assert_eq!(size(2_345_678, Lang::En), "2.3 MB");
    }
}
