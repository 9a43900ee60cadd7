//! A small, independent reading of the seed document's published text, for checking the
//! seeded plan against the document row by row. It knows this document's layout only (tables
//! flattened one cell per tab-led line); the general reader belongs to the import feature.

/// One row of 附件1 as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorLine {
    pub category: String,
    pub name: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
}

/// One row of 附件2 as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskLine {
    pub group: String,
    pub seq: i32,
    pub text: String,
    pub lead: Vec<String>,
    pub responsible: Vec<String>,
    pub deadline: String,
}

/// One paragraph of 主要任务 or 保障措施, with its trailing unit list by label.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyTask {
    pub seq: i32,
    pub text: String,
    pub units: Vec<(String, Vec<String>)>,
}

/// The cells of a flattened table: each starts at a line beginning with a tab and runs until
/// the next such line (a cell may span lines); blank lines between cells are ignored.
fn cells(section: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            out.push(rest.trim().to_owned());
        } else if let Some(last) = out.last_mut()
            && !line.trim().is_empty()
        {
            if !last.is_empty() {
                last.push('\n');
            }
            last.push_str(line.trim());
        }
    }
    out
}

fn annex<'a>(text: &'a str, heading: &str, next: Option<&str>) -> &'a str {
    // The annex list in the body ("附件：1.…") also names them; the annexes start on a line of their own.
    let start = text.find(&format!("\n{heading}\n")).expect("annex heading") + heading.len() + 2;
    let end = next.and_then(|n| text[start..].find(&format!("\n{n}\n")).map(|i| start + i)).unwrap_or(text.len());
    &text[start..end]
}

pub fn split_units(cell: &str) -> Vec<String> {
    cell.split(['、', '，', ',', '；', '\n'])
        .map(|s| s.trim().trim_end_matches('。').trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn indicator_lines(text: &str) -> Vec<IndicatorLine> {
    let cells = cells(annex(text, "附件1", Some("附件2")));
    let header = ["工作类别", "目标名称", "单位", "2020年", "2025年"];
    assert_eq!(&cells[..5], &header, "附件1 header");
    let mut rows = Vec::new();
    let mut category = String::new();
    for row in cells[5..].chunks(5) {
        if row[0].starts_with("备注") {
            break;
        }
        assert_eq!(row.len(), 5, "incomplete row {row:?}");
        if !row[0].is_empty() {
            category = row[0].replace('\n', "");
        }
        rows.push(IndicatorLine {
            category: category.clone(),
            name: row[1].clone(),
            unit: row[2].clone(),
            baseline: row[3].clone(),
            target: row[4].clone(),
        });
    }
    rows
}

pub fn task_lines(text: &str) -> Vec<TaskLine> {
    let cells = cells(annex(text, "附件2", None));
    assert_eq!(&cells[..5], &["序号", "主要任务", "牵头单位", "责任单位", "完成时限"], "附件2 header");
    let mut rows = Vec::new();
    let mut group = String::new();
    let mut i = 5;
    while i < cells.len() {
        let cell = &cells[i];
        if let Some((_, heading)) =
            cell.split_once('、').filter(|(n, _)| n.chars().all(|c| "一二三四五六七八九十".contains(c)))
        {
            group = heading.to_owned();
            i += 1;
            continue;
        }
        let row = &cells[i..i + 5];
        rows.push(TaskLine {
            group: group.clone(),
            seq: row[0].parse().expect("序号"),
            text: row[1].clone(),
            lead: split_units(&row[2]),
            responsible: split_units(&row[3]),
            deadline: row[4].clone(),
        });
        i += 5;
    }
    rows
}

/// The numbered paragraphs between `heading` and `next` in the body.
pub fn body_tasks(text: &str, heading: &str, next: &str) -> Vec<BodyTask> {
    let start = text.find(&format!("\n{heading}\n")).expect("body heading");
    let end = start + text[start..].find(&format!("\n{next}")).expect("next heading");
    let numerals = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）"];
    text[start..end]
        .lines()
        .filter_map(|line| {
            let seq = numerals.iter().position(|n| line.starts_with(n))? as i32 + 1;
            let body = &line[numerals[seq as usize - 1].len()..];
            let open = body.rfind("（牵头").expect("unit list");
            let list = body[open + "（".len()..].trim_end().trim_end_matches('）');
            let units = list
                .split('；')
                .map(|part| {
                    let (label, names) = part.split_once('：').expect("label：units");
                    (label.to_owned(), split_units(names))
                })
                .collect();
            Some(BodyTask { seq, text: body[..open].to_owned(), units })
        })
        .collect()
}
