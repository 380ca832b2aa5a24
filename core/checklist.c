/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * checklist.c — the document checklist of SPEC section 5: the default
 * template (a township may edit its own copy in the store), which items
 * apply to a dossier, and what is missing before it may enter a state.
 */
#include "core/checklist.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/terms.h"

#include <stdio.h>
#include <string.h>

const struct term when_terms[WHEN__N] = {
	{"始终", "always"}, {"有残疾成员", "disabled"}, {"有重病成员", "ill"},
	{"有近亲属关系", "kin"}, {"退出时", "exit"}, {"复核时", "review"},
};

const struct checklist_def checklist_defaults[] = {
	{"SQS", "最低生活保障申请书", ST_ACCEPTED, WHEN_ALWAYS, true, false},
	{"SFZ", "家庭成员身份证复印件", ST_ACCEPTED, WHEN_ALWAYS, false, false},
	{"HKB", "户口簿复印件", ST_ACCEPTED, WHEN_ALWAYS, false, false},
	{"SQR", "家庭经济状况核对授权书", ST_ACCEPTED, WHEN_ALWAYS, true, false},
	{"SRZM", "收入证明材料", ST_SURVEYED, WHEN_ALWAYS, false, false},
	{"CJZ", "残疾证复印件", ST_SURVEYED, WHEN_DISABLED, false, false},
	{"ZDZM", "病历/诊断证明", ST_SURVEYED, WHEN_ILL, false, false},
	{"DCB", "入户调查表", ST_SURVEYED, WHEN_ALWAYS, true, false},
	{"HDBG", "信息核对报告", ST_VERIFIED, WHEN_ALWAYS, false, false},
	{"PYJL", "民主评议记录", ST_EVALUATED, WHEN_ALWAYS, true, false},
	{"SHB", "审核意见", ST_REVIEWED, WHEN_ALWAYS, false, true},
	{"JQBA", "近亲属享受低保备案表", ST_REVIEWED, WHEN_KIN, false, false},
	{"GSJL", "公示记录", ST_APPROVED, WHEN_ALWAYS, false, false},
	{"SPB", "审核审批表", ST_APPROVED, WHEN_ALWAYS, false, true},
	{"FHJL", "复核记录", ST_APPROVED, WHEN_REVIEW, false, false},
	{"TBTZ", "停保/退出通知书", ST_EXITED, WHEN_EXIT, false, false},
};
const int n_checklist_defaults = (int)(sizeof checklist_defaults / sizeof checklist_defaults[0]);

void
checklist_facts_of(const struct dossier *d, bool kin, struct checklist_facts *f)
{
	memset(f, 0, sizeof *f);
	f->kin = kin;
	for (int i = 0; i < d->n_members; i++) {
		if (d->members[i].disability != DIS_NONE)
			f->disabled = true;
		if (d->members[i].health == HEALTH_SERIOUS)
			f->ill = true;
	}
}

bool
checklist_applies(const struct checklist_def *def, const struct checklist_facts *f)
{
	switch (def->when) {
	case WHEN_DISABLED: return f->disabled;
	case WHEN_ILL: return f->ill;
	case WHEN_KIN: return f->kin;
	default: return true;
	}
}

const struct check_item *
checklist_item(const struct dossier *d, const char *code)
{
	for (int i = 0; i < d->n_items; i++)
		if (strcmp(d->items[i].code, code) == 0)
			return &d->items[i];
	return NULL;
}

bool
checklist_item_complete(const struct checklist_def *def, const struct check_item *it)
{
	if (it == NULL || it->received == 0)
		return false;
	if (def->needs_sign && !it->is_signed)
		return false;
	if (def->needs_stamp && !it->stamped)
		return false;
	return true;
}

int
checklist_missing(const struct dossier *d, const struct checklist_def *defs, int n,
    const struct checklist_facts *f, enum status target, enum item_when event, dbdate_t since,
    char *buf, size_t size)
{
	int missing = 0;
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const struct checklist_def *def = &defs[i];
		/* review and exit items belong to those events, not to a stage */
		if (def->when == WHEN_REVIEW || def->when == WHEN_EXIT) {
			if (def->when != event)
				continue;
		} else if (event != WHEN_ALWAYS || def->stage != target) {
			continue;
		}
		const struct check_item *it = checklist_item(d, def->code);
		if (!checklist_applies(def, f))
			continue;
		/* a review's or an exit's document must be new for this event */
		if (checklist_item_complete(def, it) && (def->when != event || event == WHEN_ALWAYS || it->received > since))
			continue;
		missing++;
		int w = snprintf(buf + used, size - used, "%s%s", used ? "、" : "", def->code);
		if (w > 0 && (size_t)w < size - used)
			used += (size_t)w;
	}
	return missing;
}
