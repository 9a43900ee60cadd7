//! Lists as files (docs/api.md): a list route answers CSV or an Excel workbook instead of
//! JSON when asked with `?format=csv|xlsx` (what a link on a page does) or `Accept: text/csv`
//! (or the workbook's type); `?header=keys` puts the JSON's keys in the header row instead of
//! words; the words' language is `?lang=zh-CN|en`, else the pages' language cookie, else
//! `Accept-Language`, else Chinese. A file holds the whole list, not a page of it.

use crate::error::{Error, Result};
use crate::views::tables::{HeaderStyle, Table, Tabular};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use shared::words::Language;
use utoipa::{IntoParams, ToSchema};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a list answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum FileFormat {
    Json,
    Csv,
    Xlsx,
}

/// What a file's header row says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // describes the query for the document
pub enum HeaderRow {
    Words,
    Keys,
}

/// The language of a file's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
#[allow(dead_code)] // describes the query for the document
pub enum Lang {
    #[schema(rename = "zh-CN")]
    Zh,
    #[schema(rename = "en")]
    En,
}

/// How the document describes the three parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes the query for the document; `FileRequest` reads it
pub struct FileParams {
    /// `csv` or `xlsx` for the list as a file (the whole list); `json` (the default) for a page.
    format: Option<FileFormat>,
    /// The file's header row: `words` for people (the default) or `keys`, the JSON's keys.
    header: Option<HeaderRow>,
    /// The words' language in a file: `zh-CN` or `en`.
    lang: Option<Lang>,
}

/// What a list request asks for: JSON, or a file, how.
pub struct FileRequest {
    format: FileFormat,
    header: HeaderStyle,
    language: Language,
}

impl<S: Send + Sync> FromRequestParts<S> for FileRequest {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(parts.uri.query().unwrap_or_default())
            .map_err(|e| Error::BadRequest(format!("the query cannot be read: {e}")))?;
        let value = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        FileRequest::new(value("format"), value("header"), value("lang"), &parts.headers)
    }
}

/// The language of a file's words: `lang` (`zh-CN` or `en`), else the pages' language
/// cookie, else `Accept-Language`, else Chinese.
pub fn language(lang: Option<&str>, headers: &HeaderMap) -> Result<Language> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let cookie_lang = text(COOKIE)
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == "lang")
        .map(|(_, value)| value.to_owned());
    Ok(match lang.or(cookie_lang.as_deref()) {
        Some("zh-CN" | "zh") => Language::Zh,
        Some("en") => Language::En,
        Some(other) if lang.is_some() => {
            return Err(Error::BadRequest(format!("lang={other:?} is not one of its values")));
        }
        _ if text(ACCEPT_LANGUAGE).trim_start().starts_with("en") => Language::En,
        _ => Language::Zh,
    })
}

impl FileRequest {
    /// The request of a list route whose query holds `format`, `header` and `lang` (each may
    /// be missing), with its headers.
    pub fn new(format: Option<&str>, header: Option<&str>, lang: Option<&str>, headers: &HeaderMap) -> Result<Self> {
        let refused = |name: &str, value: &str| Error::BadRequest(format!("{name}={value:?} is not one of its values"));
        let text = |name| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let accepted = text(ACCEPT);
        let format = match format {
            Some("json") => FileFormat::Json,
            Some("csv") => FileFormat::Csv,
            Some("xlsx") => FileFormat::Xlsx,
            Some(other) => return Err(refused("format", other)),
            None if accepted.contains("text/csv") => FileFormat::Csv,
            None if accepted.contains(XLSX) => FileFormat::Xlsx,
            None => FileFormat::Json,
        };
        let header = match header {
            None | Some("words") => HeaderStyle::Words,
            Some("keys") => HeaderStyle::Keys,
            Some(other) => return Err(refused("header", other)),
        };
        Ok(FileRequest { format, header, language: language(lang, headers)? })
    }

    /// Whether a file, not JSON, is asked for.
    pub fn wants_file(&self) -> bool {
        self.format != FileFormat::Json
    }

    /// `items` as the file asked for, named `<name>.csv` or `<name>.xlsx`.
    pub fn respond<T: Tabular>(&self, items: &[T], name: &str) -> Result<Response> {
        let table = Table::of(items, self.language);
        let (content_type, extension, bytes) = match self.format {
            FileFormat::Xlsx => {
                (XLSX, "xlsx", table.xlsx(self.header, self.language).map_err(|e| Error::Internal(e.into()))?)
            }
            _ => ("text/csv; charset=utf-8", "csv", table.csv(self.header, self.language)),
        };
        let file = format!("{name}.{extension}");
        let disposition = format!("attachment; filename=\"{}\"", file.replace(['"', '\\'], "_"));
        Ok(([(CONTENT_TYPE, content_type.to_owned()), (CONTENT_DISPOSITION, disposition)], bytes).into_response())
    }
}
