package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestHSCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
		err  string
	}{
		{name: "show subheading", args: []string{"hs", "show", "0709.55"}, code: exitOK, want: []string{"chapter 07", "heading 0709", "subheading 0709.55 Matsutake", "HS 2017: from 0709.59"}},
		{name: "check no such subheading", args: []string{"hs", "check", "0305.99"}, code: exitFindings, want: []string{"0305.99\tinvalid\tHS code 0305.99: subheading 0305.99 does not exist in HS 2022 (heading 0305 has 0305.20"}},
		{name: "show heading", args: []string{"hs", "show", "0305"}, code: exitOK, want: []string{"section I", "heading 0305"}},
		{name: "show invalid", args: []string{"hs", "show", "0399"}, code: exitUsage, err: "heading 0399 does not exist"},
		{name: "check", args: []string{"hs", "check", "0305.69", "0305690000"}, code: exitOK, want: []string{"0305.69\tok\t0305.69", "national code 0305690000 cut to HS6"}},
		{name: "check invalid", args: []string{"hs", "check", "0305.69", "12AB"}, code: exitFindings, want: []string{"12AB\tinvalid\t", "not a digit"}},
		{name: "check with file", args: []string{"hs", "check", "--hs-file", "../../hs/testdata/comtrade-sample.json", "0303.67", "0303.11"}, code: exitFindings, want: []string{"0303.67\tok", "0303.11\tinvalid\tHS code 0303.11: subheading not in comtrade-sample"}},
		{name: "unknown verb", args: []string{"hs", "frob"}, code: exitUsage, err: "unknown verb"},
		{name: "no verb", args: []string{"hs"}, code: exitUsage, err: "usage"},
		{name: "import bad file", args: []string{"hs", "import", "../../hs/testdata/bad.csv"}, code: exitUsage, err: "bad.csv:5: hscode"},
		{name: "import missing", args: []string{"hs", "import", "/nonexistent.csv"}, code: exitUsage, err: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runHSCmd(t, "", noDB(t), tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errs, tt.err) {
				t.Errorf("stderr lacks %q:\n%s", tt.err, errs)
			}
		})
	}
}

// hs import keeps the file in the database; classify and hs check then use it.
func TestHSImportThenClassify(t *testing.T) {
	envs := map[string]string{"TRADEPLAN_DB": filepath.Join(t.TempDir(), "tp.db")}
	code, out, errs := runHSCmd(t, "", envs, "hs", "import", "--name", "hs2022", "../../hs/testdata/comtrade-sample.json")
	if code != exitOK || !strings.Contains(out, "imported hs2022 (comtrade-json): 2 chapters, 3 headings, 4 subheadings") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runHSCmd(t, "", envs, "hs", "check", "0303.67", "0303.11")
	if code != exitFindings || !strings.Contains(out, "0303.11\tinvalid\tHS code 0303.11: subheading not in hs2022") {
		t.Fatalf("check after import: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runHSCmd(t, "", envs, "classify", "--top", "1", "matsutake mushrooms fresh")
	if code != exitOK || !strings.Contains(out, "Vegetables; matsutake mushrooms, fresh or chilled") {
		t.Fatalf("classify after import: exit %d\n%s\n%s", code, out, errs)
	}
}
