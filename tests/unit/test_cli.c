/* The offline commands as a user runs them: output and exit codes of the
 * real binary (DPSENROLL names it). */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "suites.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

struct run {
	int status;
	char *out;
	char *err;
};

static char *
slurp_fd(int fd)
{
	lseek(fd, 0, SEEK_SET);
	char *text = fd_read_all(fd, 0, NULL);
	ck_assert_ptr_nonnull(text);
	close(fd);
	return text;
}

static int
temp_fd(const char *content)
{
	char name[] = "/tmp/dpsenroll-test-XXXXXX";
	int fd = mkstemp(name);
	ck_assert_int_ge(fd, 0);
	unlink(name);
	if (content)
		ck_assert_int_eq(write(fd, content, strlen(content)),
				 (ssize_t)strlen(content));
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Runs dpsenroll with argv (NULL-terminated, without the program name). */
static struct run
run_cli(const char *stdin_text, const char *const *args)
{
	const char *bin = getenv("DPSENROLL");
	ck_assert_msg(bin, "DPSENROLL is not set (run through make check)");
	const char *argv[16] = { bin };
	for (int i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	int in = temp_fd(stdin_text ? stdin_text : ""), out = temp_fd(NULL),
	    err = temp_fd(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	struct run r;
	waitpid(pid, &r.status, 0);
	ck_assert(WIFEXITED(r.status));
	r.status = WEXITSTATUS(r.status);
	close(in);
	r.out = slurp_fd(out);
	r.err = slurp_fd(err);
	return r;
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define RUN(stdin_text, ...) \
	run_cli(stdin_text, (const char *const[]){ __VA_ARGS__, NULL })

static char *
fixture(const char *rel)
{
	return fixture_path(rel);
}

START_TEST(version_and_help)
{
	struct run r = RUN(NULL, "--version");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "dpsenroll " DPSENROLL_VERSION "\n");
	run_free(&r);

	r = RUN(NULL, "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert(strstr(r.out, "validate"));
	ck_assert(strstr(r.out, "keygen"));
	ck_assert(strstr(r.out, "certinfo"));
	ck_assert(strstr(r.out, "Exit codes"));
	run_free(&r);

	const char *cmds[] = { "validate", "keygen", "certinfo", "get", "put",
			       "delete", "keys", "regstate", "regstate-delete",
			       "query", "bulk", "journal", "tui" };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		r = RUN(NULL, cmds[i], "--help");
		ck_assert_int_eq(r.status, 0);
		ck_assert(strncmp(r.out, "Usage: dpsenroll ", 17) == 0);
		ck_assert(strstr(r.out, cmds[i]));
		run_free(&r);
	}
}
END_TEST

START_TEST(usage_errors_exit_2)
{
	struct run r = RUN(NULL, "frobnicate");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "'frobnicate' is not a command"));
	run_free(&r);

	r = RUN(NULL, "validate");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "give one enrollment file"));
	run_free(&r);

	r = RUN(NULL, "validate", "--bogus", "x.json");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "unknown option '--bogus'"));
	run_free(&r);

	/* a mistyped option carrying a connection string does not echo it */
	r = RUN(NULL, "get", "x", "--connection_string=HostName=h;"
		"SharedAccessKeyName=p;SharedAccessKey=c2VjcmV0LWtleS12YWx1ZQ==");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "unknown option '--connection_string'"));
	ck_assert(!strstr(r.err, "c2VjcmV0LWtleS12YWx1ZQ"));
	run_free(&r);

	r = RUN(NULL, "validate", "/nonexistent/e.json");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "cannot open /nonexistent/e.json"));
	run_free(&r);
}
END_TEST

START_TEST(validate_valid_and_invalid_files)
{
	char *ok = fixture("enrollments/symmetric-key.json");
	struct run r = RUN(NULL, "validate", ok);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "");
	run_free(&r);
	free(ok);

	char *bad = fixture("enrollments/invalid.json");
	r = RUN(NULL, "validate", bad);
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.out, "registrationId: error: "));
	ck_assert(strstr(r.out, "attestation.type: error: 'Tpm' is not a valid"));
	ck_assert(strstr(r.out, "iotHubs: error: static allocation"));
	run_free(&r);

	r = RUN(NULL, "validate", "--json", bad);
	ck_assert_int_eq(r.status, 2);
	cJSON *arr = cJSON_Parse(r.out);
	ck_assert(cJSON_IsArray(arr));
	ck_assert_int_ge(cJSON_GetArraySize(arr), 4);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0),
					     "severity")->valuestring, "error");
	cJSON_Delete(arr);
	run_free(&r);
	free(bad);
}
END_TEST

/* The README shows what `validate` prints for the invalid fixture, each
 * line up to its "...": every line shown is printed, as shown. */
START_TEST(readme_validate_example_is_what_it_prints)
{
	char *readme_path = fixture_path("../../README.md");
	FILE *f = fopen(readme_path, "r");
	ck_assert_msg(f, "cannot read %s", readme_path);
	char *bad = fixture("enrollments/invalid.json");
	struct run r = RUN(NULL, "validate", bad);
	char line[512];
	int shown = 0;
	bool in_example = false;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "$ dpsenroll validate tests/fixtures/enrollments/"
			   "invalid.json")) {
			in_example = true;
			continue;
		}
		if (!in_example)
			continue;
		if (strncmp(line, "    ", 4) != 0)
			break;
		char *want = line + 4;
		want[strcspn(want, "\n")] = '\0';
		char *dots = strstr(want, " ...");
		if (dots)
			*dots = '\0';
		ck_assert_msg(strstr(r.out, want), "README shows '%s', validate "
			      "prints:\n%s", want, r.out);
		shown++;
	}
	ck_assert_int_ge(shown, 4);
	fclose(f);
	run_free(&r);
	free(bad);
	free(readme_path);
}
END_TEST

START_TEST(validate_reports_json_errors_with_position)
{
	char *broken = fixture("enrollments/broken.json");
	struct run r = RUN(NULL, "validate", broken);
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.out, "broken.json:4:1: error: not valid JSON"));
	run_free(&r);
	free(broken);

	r = RUN("{\"registrationId\": \"d\",", "validate", "-");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.out, "<stdin>:1:"));
	run_free(&r);
}
END_TEST

START_TEST(validate_stdin_warnings_only_exit_0)
{
	struct run r = RUN("{\"registrationId\":\"dev-1\",\"attestation\":"
			   "{\"type\":\"symmetricKey\"},\"colour\":\"red\"}",
			   "validate", "-");
	ck_assert_int_eq(r.status, 0);
	ck_assert(strstr(r.out, "colour: warning:"));
	run_free(&r);
}
END_TEST

/* A file or standard input is read whole however it arrives, up to
 * 16 MB; past that, or when it cannot be read, the message says which. */
START_TEST(validate_reads_input_whole_or_says_why)
{
	char *spaces = repeat_text(" ", 100 * 1024);
	char *padded = xasprintf("{\"registrationId\":\"dev-1\",\"attestation\":"
				 "{\"type\":\"symmetricKey\"}}%s", spaces);
	free(spaces);
	struct run r = RUN(padded, "validate", "-");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	run_free(&r);
	free(padded);

	char *big = repeat_text(" ", 16 * 1024 * 1024 + 1);
	r = RUN(big, "validate", "-");
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "standard input is larger than 16 MB; is "
			     "it the right file?"), "%s", r.err);
	run_free(&r);
	char *path = xasprintf("%s/dpsenroll-big-%ld.json", P_tmpdir,
			       (long)getpid());
	char *why = NULL;
	ck_assert_msg(file_write_atomic(path, big, strlen(big), 0600, &why),
		      "%s", why);
	r = RUN(NULL, "validate", path);
	ck_assert_int_eq(r.status, 2);
	char *want = xasprintf("%s is larger than 16 MB", path);
	ck_assert_msg(strstr(r.err, want), "%s", r.err);
	run_free(&r);
	unlink(path);
	free(want);
	free(path);
	free(big);

	r = RUN(NULL, "validate", P_tmpdir);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "cannot read " P_tmpdir ": Is a directory"),
		      "%s", r.err);
	run_free(&r);
}
END_TEST

/* A key pasted into an enrollment file, as JSON writes it. */
#define KEY_JSON "-----BEGIN RSA PRIVATE KEY-----\\nMIIEKEYBODYKEYBODYKEYBODY" \
	"\\n-----END RSA PRIVATE KEY-----\\n"

START_TEST(validate_refuses_a_private_key_in_any_field)
{
	struct run r = RUN("{\"registrationId\":\"dev-1\",\"attestation\":"
			   "{\"type\":\"x509\",\"x509\":{\"clientCertificates\":"
			   "{\"primary\":{\"certificate\":\"" KEY_JSON "\"}}}}}",
			   "validate", "-");
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.out, "attestation.x509.clientCertificates.primary."
			     "certificate: error: this is a private key (-----BEGIN "
			     "RSA PRIVATE KEY-----); it stays on the device, give "
			     "its certificate"), "%s", r.out);
	ck_assert_msg(!strstr(r.out, "KEYBODY"), "the key is quoted: %s", r.out);
	run_free(&r);

	r = RUN("{\"registrationId\":\"dev-1\",\"attestation\":"
		"{\"type\":\"symmetricKey\"},\"initialTwin\":{\"tags\":"
		"{\"site\":\"" KEY_JSON "\"}}}", "validate", "--json", "-");
	ck_assert_int_eq(r.status, 2);
	cJSON *arr = cJSON_Parse(r.out);
	ck_assert_msg(cJSON_IsArray(arr), "%s", r.out);
	const cJSON *first = cJSON_GetArrayItem(arr, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(first, "path")->valuestring,
			 "initialTwin.tags.site");
	ck_assert_str_eq(cJSON_GetObjectItem(first, "severity")->valuestring,
			 "error");
	ck_assert(!strstr(r.out, "KEYBODY"));
	cJSON_Delete(arr);
	run_free(&r);
}
END_TEST

START_TEST(keygen_lengths)
{
	struct run r = RUN(NULL, "keygen");
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(strlen(r.out), 89);	/* 64 bytes: 88 base64 + \n */
	char *first = xstrdup(r.out);
	run_free(&r);

	r = RUN(NULL, "keygen");
	ck_assert_str_ne(r.out, first);
	free(first);
	run_free(&r);

	r = RUN(NULL, "keygen", "--bytes", "32");
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(strlen(r.out), 45);
	run_free(&r);

	r = RUN(NULL, "keygen", "--bytes", "8");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "16 to 64"));
	ck_assert_str_eq(r.out, "");
	run_free(&r);

	r = RUN(NULL, "keygen", "--bytes");
	ck_assert_int_eq(r.status, 2);
	run_free(&r);
}
END_TEST

static char *
shell_output(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char buf[512] = "";
	size_t n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	return xstrdup(buf);
}

/* openssl prints "sha256 Fingerprint=AB:CD:..."; certinfo has no colons. */
static char *
openssl_sha256(const char *pem)
{
	char *cmd = xasprintf("openssl x509 -noout -fingerprint -sha256 -in %s", pem);
	char *line = shell_output(cmd);
	free(cmd);
	char *eq = strchr(line, '=');
	ck_assert_ptr_nonnull(eq);
	char *hex = xmalloc(strlen(eq));
	size_t n = 0;
	for (char *c = eq + 1; *c && *c != '\n'; c++)
		if (*c != ':')
			hex[n++] = *c;
	hex[n] = '\0';
	free(line);
	return hex;
}

START_TEST(certinfo_matches_openssl)
{
	char dir[] = "/tmp/dpsenroll-cert-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *cmd = xasprintf(
		"cd %s && openssl req -x509 -newkey ec -pkeyopt "
		"ec_paramgen_curve:prime256v1 -nodes -keyout k.pem -out c.pem "
		"-days 30 -subj /CN=bench-device-7/O=Contoso 2>/dev/null && "
		"openssl x509 -in c.pem -outform DER -out c.der", dir);
	free(shell_output(cmd));
	free(cmd);
	char *pem = xasprintf("%s/c.pem", dir);
	char *der = xasprintf("%s/c.der", dir);
	char *want = openssl_sha256(pem);

	const char *inputs[] = { pem, der };
	for (size_t i = 0; i < 2; i++) {
		struct run r = RUN(NULL, "certinfo", inputs[i]);
		ck_assert_int_eq(r.status, 0);
		cJSON *j = cJSON_Parse(r.out);
		ck_assert_ptr_nonnull(j);
		ck_assert_str_eq(cJSON_GetObjectItem(j, "sha256Thumbprint")->valuestring,
				 want);
		ck_assert_str_eq(cJSON_GetObjectItem(j, "commonName")->valuestring,
				 "bench-device-7");
		cJSON_Delete(j);
		run_free(&r);
	}
	struct run r = RUN(NULL, "certinfo", "--text", pem);
	ck_assert_int_eq(r.status, 0);
	ck_assert(strstr(r.out, "bench-device-7"));
	ck_assert(strstr(r.out, want));
	run_free(&r);

	char *key = xasprintf("%s/k.pem", dir);
	r = RUN(NULL, "certinfo", key);
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "k.pem"));
	run_free(&r);

	cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(key);
	free(want);
	free(pem);
	free(der);
}
END_TEST

/* Help a technician reads to know what an option or an exit code means:
 * watch's --timeout is the wait for the device, listed once (not also as
 * the request's limit), and the exit codes name every command that
 * gives them. */
START_TEST(help_lists_watch_timeout_once_and_every_exit_code_user)
{
	struct run r = RUN(NULL, "watch", "--help");
	ck_assert_int_eq(r.status, 0);
	const char *first = strstr(r.out, "  --timeout S");
	ck_assert_msg(first, "watch --help: %s", r.out);
	ck_assert_msg(!strstr(first + 1, "  --timeout S"),
		      "watch --help lists --timeout twice: %s", r.out);
	ck_assert(strstr(r.out, "--connect-timeout S"));
	run_free(&r);

	r = RUN(NULL, "get", "--help");
	ck_assert_msg(strstr(r.out, "  --timeout S          whole request"),
		      "get --help: %s", r.out);
	run_free(&r);

	r = RUN(NULL, "--help");
	ck_assert_msg(strstr(r.out, "import stopped by Ctrl-C"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "(watch, register)"), "%s", r.out);
	run_free(&r);
}
END_TEST

/* A station template whose rules cannot be used (here a pattern that is
 * no regular expression) is refused before the form opens, with the
 * whole reason: the form would open without the batch's template. */
START_TEST(station_refuses_a_template_with_unusable_rules)
{
	static const char text[] = "{\"attestation\":{\"type\":\"tpm\"},"
		"\"station\":{\"idPattern\":\"^bench-[0-9\"}}";
	char *path = xasprintf("%s/dpsenroll-station-%ld.json", P_tmpdir,
			       (long)getpid());
	char *why = NULL;
	ck_assert_msg(file_write_atomic(path, text, strlen(text), 0600, &why),
		      "%s", why);
	struct run r = RUN(NULL, "station", "--template", path);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "station.idPattern '^bench-[0-9' is not a "
			     "regular expression"), "%s", r.err);
	run_free(&r);
	unlink(path);
	free(path);
}
END_TEST

/* import writes its outcome to the results file and its problems as
 * FILE:LINE lines: --json, which it could not honour, is refused and
 * not listed in its help. */
START_TEST(import_refuses_json_it_cannot_give)
{
	struct run r = RUN(NULL, "import", "devices.csv", "--json");
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "--json is not taken here: the results file "
			     "(--result) is the record for programs"), "%s", r.err);
	run_free(&r);
	r = RUN(NULL, "import", "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(!strstr(r.out, "--json"), "%s", r.out);
	ck_assert(strstr(r.out, "--insecure-keylog"));
	run_free(&r);
	r = RUN(NULL, "get", "--help");
	ck_assert(strstr(r.out, "  --json "));
	run_free(&r);
}
END_TEST

Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("offline");
	tcase_add_test(tc, version_and_help);
	tcase_add_test(tc, usage_errors_exit_2);
	tcase_add_test(tc, validate_valid_and_invalid_files);
	tcase_add_test(tc, readme_validate_example_is_what_it_prints);
	tcase_add_test(tc, validate_reports_json_errors_with_position);
	tcase_add_test(tc, validate_stdin_warnings_only_exit_0);
	tcase_add_test(tc, validate_reads_input_whole_or_says_why);
	tcase_add_test(tc, validate_refuses_a_private_key_in_any_field);
	tcase_add_test(tc, keygen_lengths);
	tcase_add_test(tc, certinfo_matches_openssl);
	tcase_add_test(tc, help_lists_watch_timeout_once_and_every_exit_code_user);
	tcase_add_test(tc, station_refuses_a_template_with_unusable_rules);
	tcase_add_test(tc, import_refuses_json_it_cannot_give);
	suite_add_tcase(s, tc);
	return s;
}
