/* tests/unit/test_montage.c — --montage parsing and validation, roles from
 * labels for both stimulated branches, and the SPEC round trip. */
#include <check.h>
#include <string.h>

#include "montage.h"

START_TEST(parse_and_apply)
{
	struct lsr_montage m;
	char err[160];
	ck_assert_int_eq(lsr_montage_parse("0:lsr,1:lsr,2:control,3:other", &m, err, sizeof err), 0);
	enum lsr_role roles[5] = { LSR_ROLE_OTHER, LSR_ROLE_OTHER, LSR_ROLE_OTHER, LSR_ROLE_LSR,
	                           LSR_ROLE_CONTROL };
	ck_assert_int_eq(lsr_montage_apply(&m, 5, roles, err, sizeof err), 0);
	ck_assert_int_eq(roles[0], LSR_ROLE_LSR);
	ck_assert_int_eq(roles[1], LSR_ROLE_LSR);
	ck_assert_int_eq(roles[2], LSR_ROLE_CONTROL);
	ck_assert_int_eq(roles[3], LSR_ROLE_OTHER);
	ck_assert_int_eq(roles[4], LSR_ROLE_CONTROL); /* not named: kept */

	/* blanks and case are forgiven; order is free */
	ck_assert_int_eq(lsr_montage_parse(" 3 : Control , 0:LSR ", &m, err, sizeof err), 0);
	ck_assert(m.set[3] && m.set[0] && !m.set[1]);
	ck_assert_int_eq(m.role[3], LSR_ROLE_CONTROL);
	ck_assert_int_eq(lsr_montage_parse("31:other", &m, err, sizeof err), 0);

	/* a montage naming a channel the stream lacks is refused whole */
	ck_assert_int_eq(lsr_montage_parse("0:control,4:lsr", &m, err, sizeof err), 0);
	enum lsr_role r4[4] = { LSR_ROLE_LSR, LSR_ROLE_LSR, LSR_ROLE_LSR, LSR_ROLE_LSR };
	ck_assert_int_eq(lsr_montage_apply(&m, 4, r4, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "channel 4"));
	ck_assert_int_eq(r4[0], LSR_ROLE_LSR);
}
END_TEST

START_TEST(parse_errors_are_clear)
{
	struct lsr_montage m, keep;
	char err[160];
	ck_assert_int_eq(lsr_montage_parse("1:control", &keep, err, sizeof err), 0);
	m = keep;
	static const struct { const char *spec, *says; } bad[] = {
		{ "", "empty" },
		{ "   ", "empty" },
		{ "0:lsr,0:control", "named twice" },
		{ "32:lsr", "out of range" },
		{ "99999999999999999999:lsr", "out of range" },
		{ "0:lrs", "unknown role 'lrs'" },
		{ "0:", "unknown role" },
		{ "0lsr", "INDEX:ROLE" },
		{ "-1:lsr", "INDEX:ROLE" },
		{ "a:lsr", "INDEX:ROLE" },
		{ "0x1:lsr", "not a number" },
		{ "0:lsr,", "INDEX:ROLE" },
		{ "0:lsr,,1:lsr", "INDEX:ROLE" },
		{ "1 2:lsr", "not a number" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		ck_assert_msg(lsr_montage_parse(bad[i].spec, &m, err, sizeof err) == -1, "%s", bad[i].spec);
		ck_assert_msg(strstr(err, bad[i].says) != NULL, "'%s' -> '%s'", bad[i].spec, err);
		ck_assert_ptr_nonnull(strstr(err, "--montage"));
		ck_assert_mem_eq(&m, &keep, sizeof m); /* unchanged on error */
	}
	ck_assert_int_eq(lsr_montage_parse(NULL, &m, err, sizeof err), -1);
}
END_TEST

START_TEST(roles_from_labels_zygomatic)
{
	const enum lsr_stim_branch z = LSR_BRANCH_ZYGOMATIC;
	ck_assert_int_eq(lsr_montage_role_from_label("Mentalis", z), LSR_ROLE_LSR);
	ck_assert_int_eq(lsr_montage_role_from_label("orbicularis_oris", z), LSR_ROLE_LSR);
	ck_assert_int_eq(lsr_montage_role_from_label("ORBICULARIS ORIS", z), LSR_ROLE_LSR);
	ck_assert_int_eq(lsr_montage_role_from_label("Orbicularis Oculi", z), LSR_ROLE_CONTROL);
	ck_assert_int_eq(lsr_montage_role_from_label("R orbicularis__oculi", z), LSR_ROLE_CONTROL);
	ck_assert_int_eq(lsr_montage_role_from_label("Frontalis", z), LSR_ROLE_OTHER);
	ck_assert_int_eq(lsr_montage_role_from_label("Orbicularis", z), LSR_ROLE_OTHER);
	ck_assert_int_eq(lsr_montage_role_from_label("", z), LSR_ROLE_OTHER);
	ck_assert_int_eq(lsr_montage_role_from_label(NULL, z), LSR_ROLE_OTHER);
	/* naming both muscles is ambiguous */
	ck_assert_int_eq(lsr_montage_role_from_label("mentalis-orbicularis oculi", z), LSR_ROLE_OTHER);
}
END_TEST

START_TEST(roles_from_labels_mandibular)
{
	const char *labels[] = { "Mentalis", "Orbicularis_Oris", "Orbicularis_Oculi", "EKG" };
	enum lsr_role roles[4];
	lsr_montage_from_labels(4, labels, LSR_BRANCH_MANDIBULAR, roles);
	ck_assert_int_eq(roles[0], LSR_ROLE_CONTROL);
	ck_assert_int_eq(roles[1], LSR_ROLE_CONTROL);
	ck_assert_int_eq(roles[2], LSR_ROLE_LSR);
	ck_assert_int_eq(roles[3], LSR_ROLE_OTHER);
	lsr_montage_from_labels(4, labels, LSR_BRANCH_ZYGOMATIC, roles);
	ck_assert_int_eq(roles[0], LSR_ROLE_LSR);
	ck_assert_int_eq(roles[1], LSR_ROLE_LSR);
	ck_assert_int_eq(roles[2], LSR_ROLE_CONTROL);
	ck_assert_int_eq(roles[3], LSR_ROLE_OTHER);
}
END_TEST

START_TEST(format_round_trips)
{
	enum lsr_role roles[4] = { LSR_ROLE_LSR, LSR_ROLE_CONTROL, LSR_ROLE_OTHER, LSR_ROLE_LSR };
	char buf[64], err[160];
	lsr_montage_format(4, roles, buf, sizeof buf);
	ck_assert_str_eq(buf, "0:lsr,1:control,2:other,3:lsr");
	struct lsr_montage m;
	ck_assert_int_eq(lsr_montage_parse(buf, &m, err, sizeof err), 0);
	enum lsr_role back[4] = { LSR_ROLE_OTHER, LSR_ROLE_OTHER, LSR_ROLE_OTHER, LSR_ROLE_OTHER };
	ck_assert_int_eq(lsr_montage_apply(&m, 4, back, err, sizeof err), 0);
	ck_assert_mem_eq(back, roles, sizeof roles);
	char small[10];
	lsr_montage_format(4, roles, small, sizeof small);
	ck_assert_str_eq(small, "0:lsr");
}
END_TEST

Suite *suite_montage(void)
{
	Suite *s = suite_create("montage");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, parse_and_apply);
	tcase_add_test(tc, parse_errors_are_clear);
	tcase_add_test(tc, roles_from_labels_zygomatic);
	tcase_add_test(tc, roles_from_labels_mandibular);
	tcase_add_test(tc, format_round_trips);
	suite_add_tcase(s, tc);
	return s;
}
