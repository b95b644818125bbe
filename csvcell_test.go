package tradeplan

import "testing"

func TestCSVCell(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"formula", "=SUM(A1)", "'=SUM(A1)"},
		{"plus", "+1", "'+1"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@cmd", "'@cmd"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"line feed", "\n=1", "'\n=1"},
		{"space then equals", " =HYPERLINK(\"http://x\")", "' =HYPERLINK(\"http://x\")"},
		{"no-break space then plus", "\u00a0+cmd|' /C calc'!A0", "'\u00a0+cmd|' /C calc'!A0"},
		{"quote then equals", "\"=1+1", "'\"=1+1"},
		{"apostrophe then at", "'@SUM(1)", "''@SUM(1)"},
		{"zero-width space then equals", "\u200b=1", "'\u200b=1"},
		{"byte order mark then equals", "\ufeff=1", "'\ufeff=1"},
		{"full-width equals", "\uff1dSUM(A1)", "'\uff1dSUM(A1)"},
		{"full-width plus", "\uff0b1", "'\uff0b1"},
		{"full-width minus", "\uff0d1", "'\uff0d1"},
		{"full-width at", "\uff20cmd", "'\uff20cmd"},
		{"text", "salted pollack", "salted pollack"},
		{"space then text", " salted pollack", " salted pollack"},
		{"inner equals", "a=b", "a=b"},
		{"number", "420000.05", "420000.05"},
		{"spaces only", "  ", "  "},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CSVCell(tc.in); got != tc.want {
				t.Errorf("CSVCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCSVRow(t *testing.T) {
	got := CSVRow([]string{"-5", "-2.5", "=1+1", "-1+cmd|' /C calc'!A0", "+5", "12", "Inf", "-Inf", "NaN", "salted pollack"})
	want := []string{"-5", "-2.5", "'=1+1", "'-1+cmd|' /C calc'!A0", "'+5", "12", "Inf", "'-Inf", "NaN", "salted pollack"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cell %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestCSVCellValue: what CSVCell wrote, CSVCellValue reads back as it was
// written, and a cell CSVCell leaves alone is read as it is, so that the
// project reads its own CSV files back to what the user wrote.
func TestCSVCellValue(t *testing.T) {
	for _, s := range []string{"=SUM(A1)", "'=SUM(A1)", "''=1", "'", "''", "'text", "text", "-5", "'-5", " =x", "\uff1d1", "", "@", "'@"} {
		if got := CSVCellValue(CSVCell(s)); got != s {
			t.Errorf("CSVCellValue(CSVCell(%q)) = %q", s, got)
		}
		if CSVCell(s) == s && CSVCellValue(s) != s {
			t.Errorf("CSVCellValue(%q) = %q, want it as it is", s, CSVCellValue(s))
		}
	}
}

func FuzzCSVCellValue(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "'", "-5", "\t=1", " '"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := CSVCellValue(CSVCell(s)); got != s {
			t.Fatalf("CSVCellValue(CSVCell(%q)) = %q", s, got)
		}
		if CSVFormula(s) != (CSVRow([]string{s})[0] != s) {
			t.Fatalf("CSVFormula(%q) = %v, CSVRow gives %q", s, CSVFormula(s), CSVRow([]string{s})[0])
		}
	})
}
