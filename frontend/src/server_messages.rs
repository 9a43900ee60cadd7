//! The server's error messages in the page's language. The API speaks English, with stable
//! phrases; the pages show a Chinese sentence for every phrase a form can meet, and the
//! server's own words when they meet one this table does not know.

use crate::i18n::Locale;

/// (a phrase of the server's message, what the page says in Chinese).
const PHRASES: [(&str, &str); 22] = [
    ("is not a number", "不是有效的数字"),
    ("is outside the plan's period", "填报期间不在规划期内"),
    ("is not a period", "期间格式应为年份（2023）或季度（2023Q2）"),
    ("is awaiting a decision", "该期间已有待审核的填报，须先审核"),
    ("already has an approved report", "该期间已有审核通过的数值；如需更正，请提交更正"),
    ("value is out of range", "数值超出范围"),
    ("percent must be between 0 and 100", "完成百分比应在 0 到 100 之间"),
    ("is longer than", "内容过长"),
    ("current_password is wrong", "当前密码不正确"),
    ("a password needs at least", "密码至少需要 10 个字符"),
    ("the two new passwords differ", "两次输入的新密码不一致"),
    ("is not a slug", "标识只能由小写字母、数字和连字符组成"),
    ("already exists", "该标识已被使用"),
    ("is not an IANA time zone", "时区无效（例如 Asia/Shanghai）"),
    ("already holds this grant", "该用户已拥有此授权"),
    ("no organisation named", "本区县没有该单位"),
    ("has no organisation", "本区县没有该单位"),
    ("is not an email address", "邮箱地址无效"),
    ("needs at least one organisation", "填报员至少需要一个单位"),
    ("has changed (version", "记录已被他人修改，请刷新页面后重试"),
    ("choose a file or paste", "请选择文件或粘贴规划原文"),
    ("nothing was imported", "文件有错误，未导入任何内容"),
];

/// `message` as the page shows it in `locale`.
pub fn localised(message: &str, locale: Locale) -> String {
    match locale {
        Locale::En => message.to_owned(),
        Locale::Zh => PHRASES
            .iter()
            .find(|(phrase, _)| message.contains(phrase))
            .map_or_else(|| message.to_owned(), |(_, zh)| (*zh).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_phrases_read_in_chinese_and_others_stay_as_sent() {
        assert_eq!(localised("value \"abc\" is not a number", Locale::Zh), "不是有效的数字");
        assert_eq!(localised("value \"abc\" is not a number", Locale::En), "value \"abc\" is not a number");
        assert_eq!(localised("something new", Locale::Zh), "something new");
    }
}
