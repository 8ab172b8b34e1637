use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The cookie statement, generated from the cookie registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieStatementView {
    pub version: String,
    pub categories: Vec<CookieCategoryView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieCategoryView {
    /// `technical`, `functional`, `analytical`, `commercial`.
    pub id: String,
    pub name: String,
    pub explanation: String,
    pub items: Vec<CookieView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieView {
    pub name: String,
    pub purpose: String,
    pub lifetime: String,
    pub party: String,
    pub storage: String,
}

#[server(endpoint = "cookies/statement", input = server_fn::codec::GetUrl)]
pub async fn cookie_statement(lang: String) -> Result<CookieStatementView, AppError> {
    use crate::i18n::tr;
    use domain::{
        Category,
        cookies::{Party, Storage},
    };
    let lang = domain::Lang::from_code(&lang).unwrap_or_default();
    let consents = crate::context::ctx()?.consents;
    let registry = consents.registry();
    let categories = Category::ALL
        .into_iter()
        .map(|category| CookieCategoryView {
            id: category.as_str().into(),
            name: category.name(lang).into(),
            explanation: category.explanation(lang).into(),
            items: registry
                .in_category(category)
                .map(|item| CookieView {
                    name: item.name.clone(),
                    purpose: item.purpose.get(lang).into(),
                    lifetime: item.lifetime.describe(lang),
                    party: match item.party {
                        Party::First => tr(lang, "wijzelf", "ourselves"),
                        Party::Third => tr(lang, "een andere partij", "another party"),
                    }
                    .into(),
                    storage: match item.storage {
                        Storage::Cookie => "cookie",
                        Storage::LocalStorage => "local storage",
                        Storage::SessionStorage => "session storage",
                    }
                    .into(),
                })
                .collect(),
        })
        .collect();
    Ok(CookieStatementView {
        version: registry.version.clone(),
        categories,
    })
}
