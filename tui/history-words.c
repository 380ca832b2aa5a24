/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * history-words.c — an audit entry of a dossier in a clerk's words for
 * the history tab: the detail's JSON as "label：value" pairs in Chinese,
 * amounts in yuan, statuses and kinds by their Chinese terms, yes/no as
 * 是/否; the record's internal fields (calculation sequence, versions) are
 * left out.  A key not listed here shows its value only, never its name.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "tui/views.h"
#include "core/base.h"
#include "core/money.h"
#include "core/terms.h"

static const struct { const char *key, *label; char kind; } words[] = {
	/* kind: m money (fen), s status, x exit reason, a area, b yes/no, - left out */
	{"from", "原环节", 's'}, {"to", "新环节", 's'}, {"status", "状态", 's'},
	{"total", "月保障金", 'm'}, {"old_total", "原月保障金", 'm'}, {"amount", "金额", 'm'},
	{"deposits", "存款", 'm'}, {"note", "说明", 0}, {"code", "材料", 0},
	{"received", "收到日期", 0}, {"signed", "签字", 'b'}, {"stamped", "盖章", 'b'},
	{"persons", "保障人数", 0}, {"participants", "参加人数", 0}, {"representatives", "居民代表", 0},
	{"surveyors", "调查人", 0}, {"category", "复核类别", 0}, {"reason", "原因", 'x'},
	{"result", "结果", 0}, {"kind", "类别", 0}, {"name", "姓名", 0}, {"relation", "关系", 0},
	{"village", "村（社区）", 0}, {"group", "组", 0}, {"area", "城乡", 'a'}, {"members", "人数", 0},
	{"override", "处理理由", 0}, {"warnings", "警告", 0}, {"date", "日期", 0}, {"month", "月份", 0},
	{"head", "户主", 0}, {"gradual_exit", "渐退", 'b'}, {"calc_seq", NULL, '-'}, {"version", NULL, '-'}, {"fields", NULL, '-'},
	{"form", "表格", 0}, {"copies", "份数", 0}, {"id", "身份证号", 0}, {"member", "成员", 0},
};

static void
value_words(json_t *v, char kind, char *out, size_t size)
{
	int i;
	out[0] = '\0';
	if (json_is_boolean(v)) {
		snprintf(out, size, "%s", json_is_true(v) ? "是" : "否");
	} else if (json_is_integer(v) && kind == 'b') {
		/* 1 yes, 0 no, -1 unchanged (left out) */
		json_int_t n = json_integer_value(v);
		if (n >= 0)
			snprintf(out, size, "%s", n ? "是" : "否");
	} else if (json_is_integer(v) && kind == 'm') {
		char y[32];
		money_format((fen_t)json_integer_value(v), y);
		snprintf(out, size, "%s元", y);
	} else if (json_is_integer(v)) {
		snprintf(out, size, "%lld", (long long)json_integer_value(v));
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (kind == 's' && (i = term_find(status_terms, ST__N, s)) >= 0)
			s = status_terms[i].zh;
		else if (kind == 'x' && (i = term_find(exit_terms, EXIT__N, s)) >= 0)
			s = exit_terms[i].zh;
		else if (kind == 'a' && (i = term_find(area_terms, AREA__N, s)) >= 0)
			s = area_terms[i].zh;
		snprintf(out, size, "%s", s);
	} else if (json_is_array(v)) {
		size_t k;
		json_t *e;
		json_array_foreach(v, k, e) {
			char one[256];
			size_t have = strlen(out);
			value_words(e, kind, one, sizeof one);
			snprintf(out + have, size - have, "%s%s", k ? "、" : "", one);
		}
	}
}

void
history_words(const char *detail, char *out, size_t size)
{
	json_t *j = detail && detail[0] == '{' ? json_loads(detail, 0, NULL) : NULL;
	const char *key;
	json_t *v;

	if (j == NULL) {
		snprintf(out, size, "%s", detail ? detail : "");
		return;
	}
	out[0] = '\0';
	json_object_foreach(j, key, v) {
		const char *label = NULL;
		char kind = 0, val[512];
		bool known = false;
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strcmp(words[i].key, key) == 0) {
				label = words[i].label;
				kind = words[i].kind;
				known = true;
			}
		if (kind == '-')
			continue;
		value_words(v, kind, val, sizeof val);
		if (val[0] == '\0')
			continue;
		size_t have = strlen(out);
		if (have + 1 >= size)
			break;
		if (known)
			snprintf(out + have, size - have, "%s%s：%s", have ? "；" : "", label, val);
		else
			snprintf(out + have, size - have, "%s%s", have ? "；" : "", val);
	}
	json_decref(j);
}
