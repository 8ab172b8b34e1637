//! Downloading an export: a plain route, not a server function, because the answer is a file
//! streamed from disk. Only the export's owner gets it, only after the step-up
//! re-authentication, never cached; anyone else hears that there is no such download.

use crate::startup::AppState;
use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};
use domain::{AccountId, Lang};
use store::session::ACCOUNT_KEY;
use tokio_util::io::ReaderStream;
use tower_sessions::Session;
use workflows::export::{ExportError, SCHEMA};

/// `GET /schema/export-v1.json`: the JSON Schema of an export's `data.json`.
pub async fn schema() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/schema+json"),
        )],
        SCHEMA,
    )
        .into_response()
}

/// `GET /{lang}/my-data/export/{id}/download`.
pub async fn export(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    session: Session,
) -> Response {
    let (Some(lang), true) = (
        Lang::from_code(&lang),
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
    ) else {
        return answer(StatusCode::NOT_FOUND, Lang::Nl);
    };
    // After the password the holder comes back to the downloads page and clicks again: a
    // redirect straight to the file would be followed by the router as a page, not a download.
    let page = format!("/{}/my-data/export", lang.code());
    let account = session.get::<String>(ACCOUNT_KEY).await.ok().flatten();
    let Some(account) = account else {
        return Redirect::to(&format!("/{}/sign-in", lang.code())).into_response();
    };
    let confirmed_at = session
        .get::<DateTime<Utc>>(app::auth::AUTH_AT_KEY)
        .await
        .ok()
        .flatten();
    if !state.accounts.reauthenticated_recently(confirmed_at) {
        return Redirect::to(&format!(
            "/{}/account/confirm-identity?next={page}",
            lang.code()
        ))
        .into_response();
    }
    let download = match state
        .exports
        .download(&AccountId::from_stored(account), &id)
        .await
    {
        Ok(download) => download,
        Err(ExportError::Expired) => return answer(StatusCode::GONE, lang),
        Err(ExportError::NotFound | ExportError::AlreadyBuilding) => {
            return answer(StatusCode::NOT_FOUND, lang);
        }
        Err(ExportError::Store(error)) => {
            tracing::error!(%error, "an export could not be looked up");
            return answer(StatusCode::INTERNAL_SERVER_ERROR, lang);
        }
    };
    let file = match tokio::fs::File::open(&download.path).await {
        Ok(file) => file,
        Err(error) => {
            tracing::warn!(%error, "an export's file could not be opened");
            return answer(StatusCode::GONE, lang);
        }
    };
    tracing::info!(export = %id, "export downloaded");
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_LENGTH, download.size.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", download.file_name),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(ReaderStream::new(file)),
    )
        .into_response()
}

/// A short page for a download that is not there (any more), in the person's language.
fn answer(status: StatusCode, lang: Lang) -> Response {
    let (title, text, back) = match (lang, status) {
        (Lang::Nl, StatusCode::GONE) => (
            "Download verlopen",
            "Deze download is verlopen en het bestand is verwijderd. Vraag een nieuwe kopie van je gegevens aan.",
            "Naar Download je gegevens",
        ),
        (Lang::En, StatusCode::GONE) => (
            "Download expired",
            "This download has expired and its file was deleted. Please ask for a new copy of your data.",
            "Go to Download your data",
        ),
        (Lang::Nl, StatusCode::NOT_FOUND) => (
            "Download niet gevonden",
            "Deze download bestaat niet of is niet van jou.",
            "Naar Download je gegevens",
        ),
        (Lang::En, StatusCode::NOT_FOUND) => (
            "Download not found",
            "This download does not exist or is not yours.",
            "Go to Download your data",
        ),
        (Lang::Nl, _) => (
            "Er ging iets mis",
            "Er ging aan onze kant iets mis. Probeer het over een paar minuten opnieuw.",
            "Naar Download je gegevens",
        ),
        (Lang::En, _) => (
            "Something went wrong",
            "Something went wrong on our side. Please try again in a few minutes.",
            "Go to Download your data",
        ),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/portal.css\"></head>\n\
         <body><main id=\"main\" class=\"wrap narrow\"><h1>{title}</h1><p>{text}</p>\
         <p><a href=\"/{code}/my-data/export\">{back}</a></p></main></body></html>",
        code = lang.code()
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}
