/* The single Check runner: every module's suite. */
#include <locale.h>
#include <stdlib.h>

#include <check.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr;
	int failed;

	setlocale(LC_ALL, "C.UTF-8");
	sr = srunner_create(make_evq_suite());
	srunner_add_suite(sr, make_conductor_suite());
	srunner_add_suite(sr, make_worker_suite());
	srunner_add_suite(sr, make_timeline_suite());
	srunner_add_suite(sr, make_model_suite());
	srunner_add_suite(sr, make_lesson_suite());
	srunner_add_suite(sr, make_sanitize_suite());
	srunner_add_suite(sr, make_schedule_suite());
	srunner_add_suite(sr, make_headless_suite());
	srunner_add_suite(sr, make_screen_suite());
	srunner_add_suite(sr, make_session_suite());
	srunner_add_suite(sr, make_recording_suite());
	srunner_add_suite(sr, make_coach_suite());
	srunner_add_suite(sr, make_lockfix_suite());
	srunner_add_suite(sr, make_deadlock_suite());
	srunner_add_suite(sr, make_sampler_suite());
	srunner_add_suite(sr, make_iovscpu_suite());
	srunner_add_suite(sr, make_pageserver_suite());
	srunner_add_suite(sr, make_verify_suite());
	srunner_add_suite(sr, make_result_suite());
	srunner_add_suite(sr, make_measure_suite());
	srunner_add_suite(sr, make_names_suite());
	srunner_add_suite(sr, make_run_suite());
	srunner_add_suite(sr, make_module_suite());
	srunner_add_suite(sr, make_explore_suite());
	srunner_add_suite(sr, make_summary_suite());
	srunner_add_suite(sr, make_trace_json_suite());
	srunner_add_suite(sr, make_progress_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
