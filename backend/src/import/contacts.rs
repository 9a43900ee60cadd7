//! A district's contacts (联络员) from a spreadsheet (docs/api.md): the admin downloads the
//! contacts template (name, unit as written in the plan, mobile number, e-mail, role; the
//! district's units listed on a sheet of their own), fills it in Excel and uploads it. A dry
//! run checks every row (a unit of the district, a valid number or address, a role a district
//! gives, no one twice) and names the cell of every problem; an upload without problems
//! invites every row at once, in one transaction (one-time links, `auth::invitations`), and
//! answers with the links; an upload with problems does nothing.

use super::table::{Sheet, column_letter};
use crate::auth::access;
use crate::auth::invitations::{self, Checked};
use crate::error::Result;
use crate::infra::db;
use crate::tenancy::TenantRecord;
use chrono::{DateTime, Utc};
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};
use shared::api::{ContactRow, ContactsPreview, ContactsReport, NewInvitation};
use shared::import_report::{Finding, ImportOutcome};
use shared::model::Role;
use shared::page_data::Caller;
use shared::words::{Language, Word};
use sqlx::PgPool;
use std::collections::HashMap;

/// The sheet people fill in.
pub const SHEET: &str = "联系人";
const UNITS_SHEET: &str = "单位";
/// The columns, in order: header, what it holds.
const COLUMNS: [(&str, &str); 5] = [
    ("姓名", "the person's name"),
    ("单位", "their unit, as written in the plan (the 单位 sheet lists them)"),
    ("手机号", "their mainland mobile number, with which they will sign in"),
    ("邮箱", "their e-mail address (a number, an address, or both)"),
    ("角色", "填报员 (reports for the unit; the default), 查看者 or 区县管理员"),
];
/// The most rows one upload invites.
const MAX_ROWS: usize = 2_000;

/// The contacts template, listing the district's units.
pub fn template(units: &[String]) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color(0xE8EEF5);
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    for (c, (title, _)) in COLUMNS.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *title, &header)?;
        sheet.set_column_width(c, if c == 1 { 28 } else { 18 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let roles: Vec<&str> =
        [Role::Reporter, Role::Viewer, Role::TenantAdmin].iter().map(|r| r.word(Language::Zh)).collect();
    sheet.add_data_validation(1, 4, MAX_ROWS as u32, 4, &DataValidation::new().allow_list_strings(&roles)?)?;
    let list = workbook.add_worksheet();
    list.set_name(UNITS_SHEET)?;
    list.write_string_with_format(0, 0, "单位（按规划原文）", &header)?;
    list.set_column_width(0, 36)?;
    for (i, unit) in units.iter().enumerate() {
        list.write_string(i as u32 + 1, 0, unit)?;
    }
    let guide = workbook.add_worksheet();
    guide.set_name("说明")?;
    guide.set_column_width(0, 12)?;
    guide.set_column_width(1, 80)?;
    for (i, (title, meaning)) in COLUMNS.iter().enumerate() {
        guide.write_string(i as u32, 0, *title)?;
        guide.write_string(i as u32, 1, *meaning)?;
    }
    workbook.save_to_buffer()
}

/// A row as written, with where it is.
struct Line {
    row: u32,
    csv: bool,
    cells: Vec<String>,
}

impl Line {
    fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", |c| c.trim())
    }

    /// Where a cell is, as the person sees it: `联系人!C7`, or `line 7, column C`.
    fn place(&self, column: usize) -> String {
        let letter = column_letter(column);
        if self.csv { format!("line {}, column {letter}", self.row) } else { format!("{SHEET}!{letter}{}", self.row) }
    }
}

/// The rows of an uploaded workbook (or CSV, UTF-8 or GB18030) under its header row.
fn lines(bytes: &[u8]) -> std::result::Result<Vec<Line>, String> {
    let (sheet, csv) = if super::xlsx::looks_like_xlsx(bytes) {
        let sheets = super::xlsx::sheets(bytes)?;
        let sheet = sheets.iter().find(|s| s.name == SHEET).or(sheets.first()).cloned();
        (sheet.ok_or("the workbook has no sheet")?, false)
    } else {
        let text = super::csv::decode(bytes);
        let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| format!("not a workbook, nor valid CSV ({e})"))?;
            let line = record.position().map_or(0, |p| p.line()) as u32;
            rows.push((line, record.iter().map(str::to_owned).collect()));
        }
        (Sheet { name: SHEET.into(), origin: super::table::Origin::Csv, rows }, true)
    };
    let mut rows = sheet.rows.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let header: Vec<String> = rows.next().map(|(_, cells)| cells).unwrap_or_default();
    let expected: Vec<&str> = COLUMNS.iter().map(|(title, _)| *title).collect();
    let found: Vec<&str> = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}')).collect();
    if found.get(..expected.len()) != Some(&expected[..]) {
        return Err(format!("the first row must be the template's headers: {}", expected.join(", ")));
    }
    Ok(rows.map(|(row, cells)| Line { row, csv, cells }).collect())
}

/// Every row checked against the district: the invitations they make, and the findings.
async fn check(
    pool: &PgPool,
    tenant: &TenantRecord,
    lines: &[Line],
) -> Result<(Vec<ContactRow>, Vec<Checked>, Vec<Finding>)> {
    let units: Vec<String> = {
        let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
        let units = sqlx::query_scalar("select name from organisation where tenant_id = $1")
            .bind(tenant.tenant_id)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        units
    };
    let mut rows = Vec::new();
    let mut checked = Vec::new();
    let mut errors = Vec::new();
    // Who is on which row already: a number or an address twice is one person twice.
    let mut seen: HashMap<String, u32> = HashMap::new();
    for line in lines {
        let before = errors.len();
        let mut find = |column: usize, message: String| errors.push(Finding { at: line.place(column), message });
        let (name, unit, mobile, email, role) = (line.cell(0), line.cell(1), line.cell(2), line.cell(3), line.cell(4));
        let role = match role {
            "" => Some(Role::Reporter),
            word => Role::from_word(word).filter(|r| matches!(r, Role::Reporter | Role::Viewer | Role::TenantAdmin)),
        };
        if role.is_none() {
            find(4, format!("角色 {:?}: write 填报员, 查看者 or 区县管理员", line.cell(4)));
        }
        if unit.is_empty() && role == Some(Role::Reporter) {
            find(1, "单位: a reporter reports for a unit; name it as the plan writes it".into());
        } else if !unit.is_empty() && !units.iter().any(|u| u == unit) {
            find(1, format!("单位 {unit:?} is not a unit of {} (the template's 单位 sheet lists them)", tenant.name));
        }
        let number = (!mobile.is_empty()).then(|| shared::contact::mobile(mobile));
        if let Some(None) = number {
            find(2, format!("手机号 {mobile:?} is not a mainland mobile number (11 digits, 1 then 3–9)"));
        }
        if !email.is_empty() && crate::auth::users::check_email(email).is_err() {
            find(3, format!("邮箱 {email:?} is not an e-mail address"));
        }
        if mobile.is_empty() && email.is_empty() {
            find(2, "手机号 or 邮箱: give one at least, to sign in with".into());
        }
        for (column, key) in [(2, number.clone().flatten()), (3, (!email.is_empty()).then(|| email.to_lowercase()))] {
            let Some(key) = key else { continue };
            if let Some(first) = seen.insert(key.clone(), line.row) {
                find(column, format!("{key} is on row {first} too: one person, one row"));
            }
        }
        let ok = errors.len() == before;
        if ok {
            let invitation = NewInvitation {
                email: email.to_owned(),
                mobile: Some(mobile.to_owned()).filter(|m| !m.is_empty()),
                display_name: name.to_owned(),
                role: role.unwrap_or(Role::Reporter),
                organisations: if role == Some(Role::Reporter) { vec![unit.to_owned()] } else { Vec::new() },
            };
            match invitations::check(invitation) {
                Ok(valid) => checked.push(valid),
                Err(e) => errors.push(Finding { at: line.place(0), message: e.to_string() }),
            }
        }
        rows.push(ContactRow {
            at: line.place(0),
            name: name.to_owned(),
            unit: unit.to_owned(),
            mobile: number.flatten().or_else(|| Some(mobile.to_owned()).filter(|m| !m.is_empty())),
            email: Some(email.to_owned()).filter(|e| !e.is_empty()),
            role,
            ok: ok && errors.len() == before,
        });
    }
    Ok((rows, checked, errors))
}

/// Checks the contacts in `bytes` and, unless `dry_run` or anything is wrong, invites every
/// row in one transaction. Platform admins and the district's admins.
pub async fn invite(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ContactsReport> {
    invitations::admit(pool, caller, tenant).await?;
    let invalid = |at: &str, message: String| ContactsReport {
        outcome: ImportOutcome::Invalid,
        rows: Vec::new(),
        errors: vec![Finding { at: at.into(), message }],
        invitations: Vec::new(),
    };
    let lines = match lines(bytes) {
        Ok(lines) => lines,
        Err(message) => return Ok(invalid("document", message)),
    };
    if lines.is_empty() {
        return Ok(invalid(SHEET, "no contacts below the headers".into()));
    }
    if lines.len() > MAX_ROWS {
        return Ok(invalid(SHEET, format!("{} rows: at most {MAX_ROWS} at once", lines.len())));
    }
    let (rows, checked, errors) = check(pool, tenant, &lines).await?;
    if !errors.is_empty() || dry_run {
        let outcome = if errors.is_empty() { ImportOutcome::DryRun } else { ImportOutcome::Invalid };
        return Ok(ContactsReport { outcome, rows, errors, invitations: Vec::new() });
    }
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let mut made = Vec::with_capacity(checked.len());
    for invitation in checked {
        made.push(invitations::insert(&mut tx, now, caller, tenant, invitation).await?);
    }
    tx.commit().await?;
    Ok(ContactsReport { outcome: ImportOutcome::Created, rows, errors, invitations: made })
}

/// The contacts page: the district, and the dry run of an uploaded workbook (`draft`).
pub async fn preview(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    draft: Option<uuid::Uuid>,
) -> Result<ContactsPreview> {
    access::manage_users(caller, tenant.reference())?;
    let (draft, report) = match draft {
        Some(id) => {
            let (draft, content) = super::drafts::load(pool, tenant, id).await?;
            (Some(draft), Some(invite(pool, now, caller, tenant, &content, true).await?))
        }
        None => (None, None),
    };
    Ok(ContactsPreview { tenant: tenant.summary(), draft, report })
}

/// Invites the contacts of an uploaded workbook (`draft`); once they are invited the draft is
/// gone.
pub async fn invite_draft(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    draft: uuid::Uuid,
) -> Result<ContactsReport> {
    access::manage_users(caller, tenant.reference())?;
    let (_, content) = super::drafts::load(pool, tenant, draft).await?;
    let report = invite(pool, now, caller, tenant, &content, false).await?;
    if report.outcome == ImportOutcome::Created {
        super::drafts::discard(pool, tenant, draft).await?;
    }
    Ok(report)
}

/// The district's units, for the template (its admins and platform admins).
pub async fn units(pool: &PgPool, caller: &Caller, tenant: &TenantRecord) -> Result<Vec<String>> {
    access::manage_users(caller, tenant.reference())?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let units = sqlx::query_scalar("select name from organisation where tenant_id = $1 order by name")
        .bind(tenant.tenant_id)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back_as_its_headers_and_a_csv_names_lines() {
        let bytes = template(&["区发展改革委".into()]).unwrap_or_default();
        assert!(lines(&bytes).is_ok_and(|l| l.is_empty()));
        let csv = "姓名,单位,手机号,邮箱,角色\n张三,区发展改革委,13800138000,,填报员\n";
        let read = lines(csv.as_bytes()).unwrap_or_default();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].place(2), "line 2, column C");
        assert!(lines(b"name,unit\nx,y\n").is_err(), "headers other than the template's");
    }
}
