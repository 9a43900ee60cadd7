//! Writes the fuzz targets' seed corpora (`scripts/fuzz.sh`) from real inputs: the seed
//! plan as canonical JSON and as the exported workbook, the blank template, a plan in the
//! template's CSV form, redirect targets and form and JSON bodies the pages and clients send.
//! Usage: `cargo run -p tests --example fuzz_seeds -- DIR`.

use std::path::{Path, PathBuf};

/// A plan in the template's CSV form, as the onboarding test imports it.
const PLAN_CSV: &str = "[规划]\n标题,秀山县数字经济发展规划\n发文机关,秀山县人民政府\n印发日期,2023-03-01\n\
                        规划起始年,2023\n规划终止年,2027\n\
                        [指标]\n领域,指标名称,单位,基期值,目标值\n数字产业,软件业务收入,亿元,12,≥30\n\
                        [任务]\n领域,序号,任务,牵头单位,完成时限\n数字产业,1,建设数据中心,县经信局,2025\n";

fn write(dir: &Path, target: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let folder = dir.join(target);
    std::fs::create_dir_all(&folder)?;
    std::fs::write(folder.join(name), bytes)
}

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: fuzz_seeds DIR"))?);
    let bundle = backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1)?;
    let plan = &bundle.plans[0];
    write(&dir, "import_json", "seed-plan.json", &serde_json::to_vec_pretty(plan)?)?;
    write(&dir, "import_csv", "plan.csv", PLAN_CSV.as_bytes())?;
    let (gb18030, _, _) = encoding_rs::GB18030.encode(PLAN_CSV);
    write(&dir, "import_csv", "plan-gb18030.csv", &gb18030)?;
    write(&dir, "import_xlsx", "template.xlsx", &backend::import::xlsx::template()?)?;
    let history = backend::import::xlsx::History::default();
    write(
        &dir,
        "import_xlsx",
        "seed-plan.xlsx",
        &backend::import::xlsx::export(plan, &history, shared::words::Language::Zh)?,
    )?;
    for (i, path) in [
        "/me",
        "/t/qianjiang?area=2",
        "/regions/chongqing?indicator=gdp&sort=name",
        "/\\evil.example/",
        "//evil.example",
        "/%09/x",
        "http://127.0.0.1:3000/t/qianjiang",
    ]
    .iter()
    .enumerate()
    {
        write(&dir, "redirect", &format!("path-{i}"), path.as_bytes())?;
    }
    for (i, body) in [
        "tenant=qianjiang&indicator=6f1c&period=2023Q2&value=229.715&note=%E5%B7%B2%E6%A0%B8%E5%AE%9E",
        "email=admin%40qianjiang.gov.cn&password=correct+horse&next=%2Ft%2Fqianjiang",
        "sort=overdue&offset=100&limit=50&indicator=industrial_output_above_scale",
        "email=a%40b.cn&role=reporter&organisations=%E5%8C%BA%E5%8F%91%E6%94%B9%E5%A7%94",
        r#"{"period":"2023","value":1.5,"note":"a\u0000b","source":null}"#,
        r#"{"status":"in_progress","percent":40,"note":"\\u0000"}"#,
    ]
    .iter()
    .enumerate()
    {
        write(&dir, "form_and_query", &format!("body-{i}"), body.as_bytes())?;
    }
    println!("seeds written to {}", dir.display());
    Ok(())
}
