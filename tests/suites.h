/* Every module's Check suite, collected by tests/main.c. */
#ifndef IL_TEST_SUITES_H
#define IL_TEST_SUITES_H

#include <check.h>

#include "helper.h"

Suite *make_evq_suite(void);
Suite *make_conductor_suite(void);
Suite *make_worker_suite(void);
Suite *make_timeline_suite(void);
Suite *make_model_suite(void);
Suite *make_lesson_suite(void);
Suite *make_sanitize_suite(void);
Suite *make_schedule_suite(void);
Suite *make_headless_suite(void);
Suite *make_screen_suite(void);
Suite *make_session_suite(void);
Suite *make_recording_suite(void);
Suite *make_sampler_suite(void);
Suite *make_iovscpu_suite(void);
Suite *make_lockfix_suite(void);
Suite *make_deadlock_suite(void);
Suite *make_pageserver_suite(void);
Suite *make_verify_suite(void);
Suite *make_result_suite(void);
Suite *make_measure_suite(void);
Suite *make_names_suite(void);
Suite *make_run_suite(void);
Suite *make_module_suite(void);
Suite *make_explore_suite(void);
Suite *make_summary_suite(void);
Suite *make_trace_json_suite(void);
Suite *make_progress_suite(void);
Suite *make_coach_suite(void);

#endif
