//! The template as CSV: one file with a section per sheet, each opened by a line holding
//! the sheet's name in brackets (`[规划]`, `[指标]`, `[任务]`, optionally `[领域]`, `[原文]`),
//! followed by that sheet's rows. Excel on Chinese Windows saves CSV as GB18030 (GBK), so
//! bytes that are not UTF-8 are read as GB18030.

use super::table::{Origin, Sheet, canonical_sheet};
use super::{Finding, Reading};

/// The section name of a marker cell such as `[指标]`.
fn section(cell: &str) -> Option<&str> {
    let inner = cell.trim().trim_start_matches('\u{feff}').strip_prefix('[')?.strip_suffix(']')?;
    canonical_sheet(inner).map(|_| inner)
}

/// Whether the text opens with a section marker: then it is this CSV and not a pasted plan.
pub fn looks_like_csv(text: &str) -> bool {
    text.lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
        .find(|l| !l.is_empty())
        .and_then(|l| l.split(',').next())
        .and_then(section)
        .is_some()
}

/// UTF-8 (with or without a byte order mark), else GB18030.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

pub fn read(text: &str) -> Reading {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or_else(|| "CSV".to_owned(), |p| format!("line {}", p.line()));
                errors.push(Finding { at, message: format!("not valid CSV ({e})") });
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line()) as u32;
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if let Some(name) = cells.first().and_then(|c| section(c)) {
            sheets.push(Sheet { name: name.to_owned(), origin: Origin::Csv, rows: vec![] });
            continue;
        }
        match sheets.last_mut() {
            Some(sheet) => sheet.rows.push((line, cells)),
            None if cells.iter().all(|c| c.trim().is_empty()) => {}
            None => {
                errors.push(Finding {
                    at: format!("line {line}"),
                    message: "a row before the first [规划] section".into(),
                });
            }
        }
    }
    if !errors.is_empty() {
        return Reading { document: None, warnings: vec![], errors };
    }
    super::table::read(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "[规划]\n标题,示例规划\n发文机关,示例区人民政府\n印发日期,2023-03-01\n规划起始年,2023\n规划终止年,2027\n\n\
                          [指标]\n领域,指标名称,单位,基期值,目标值\n产业,\"产值,总量\",亿元,100,≥150\n\n\
                          [任务]\n领域,序号,任务,牵头单位,完成时限\n产业,1,建设园区,区经信委、区发改委,2025\n";

    #[test]
    fn sections_become_sheets_and_errors_name_the_line() {
        assert!(looks_like_csv(SAMPLE));
        let reading = read(SAMPLE);
        assert!(reading.errors.is_empty(), "{:?}", reading.errors);
        let doc = reading.document.expect("a document");
        assert_eq!(doc.indicators[0].name, "产值,总量");
        assert_eq!(doc.tasks[0].lead, ["区经信委", "区发改委"]);
        let broken = SAMPLE.replace("≥150", "很多");
        let reading = read(&broken);
        assert_eq!(reading.errors[0].at, "line 10, column E");
    }

    #[test]
    fn gbk_bytes_are_decoded() {
        let (gbk, _, _) = encoding_rs::GB18030.encode(SAMPLE);
        assert_eq!(decode(&gbk), SAMPLE);
        assert!(!looks_like_csv("关于印发《规划》的通知\n[规划]"));
    }
}
