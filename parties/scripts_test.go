package parties

import (
	"strings"
	"testing"
)

// TestScriptsReal screens names as they are really written (look-alike
// letters of other scripts, styled letters, hidden characters, Hangul,
// Chinese characters, Cyrillic) against the real UN and OFAC lists: each
// must find the entry its plain Latin spelling finds, as strongly, and say
// how the name was read.
func TestScriptsReal(t *testing.T) {
	_, _, ix := realLists(t)
	tests := []struct {
		name    string
		q       Query
		plain   string // the plain spelling, screened the same ("" for none)
		wantID  string
		min     string // the weakest strength allowed
		explain string
	}{
		{"Cyrillic O", Query{Name: "KОREA KWANGSОN BANKING CORPORATION"}, "KOREA KWANGSON BANKING CORPORATION", "KPe.025", Strong, "mixes Latin and Cyrillic letters"},
		{"Cyrillic KOMID", Query{Name: "KОMID"}, "KOMID", "KPe.001", Strong, "Cyrillic"},
		{"fullwidth", Query{Name: "ＫＯＭＩＤ"}, "KOMID", "KPe.001", Strong, "styled letters"},
		{"Greek", Query{Name: "ΚΟΜΙD"}, "KOMID", "KPe.001", Strong, "Greek"},
		{"mathematical bold", Query{Name: "𝐊𝐎𝐌𝐈𝐃"}, "KOMID", "KPe.001", Strong, "styled letters"},
		{"Cyrillic a", Query{Name: "Tаnchоn Cоmmеrciаl Bаnk"}, "Tanchon Commercial Bank", "KPe.003", Strong, "mixes Latin and Cyrillic"},
		{"zero-width space", Query{Name: "Tanchon Com\u200bmercial Bank"}, "Tanchon Commercial Bank", "KPe.003", Strong, "invisible"},
		{"all Cyrillic look-alikes", Query{Name: "КОМІD"}, "KOMID", "KPe.001", Strong, "Cyrillic"},
		{"vessel, Cyrillic o", Query{Name: "Chоnmаsan", Kind: VesselKind}, "Chonmasan", "SDN-23729", Strong, "mixes Latin and Cyrillic"},
		{"Hangul KOMID", Query{Name: "조선광업개발무역회사"}, "", "KPe.001", Strong, "Hangul read as"},
		{"Hangul Kim Jong Un", Query{Name: "김정은", Kind: "party"}, "", "SDN-20157", Possible, "McCune-Reischauer"},
		{"Chinese Dandong Hongxiang", Query{Name: "丹东鸿祥实业发展有限公司"}, "", "SDN-20564", Strong, "pinyin"},
		{"simplified for traditional", Query{Name: "长安海连技术有限公司"}, "", "", Strong, "pinyin"},
		{"Cyrillic Rotenberg", Query{Name: "Аркадий Ротенберг", Kind: "party"}, "", "SDN-16669", Possible, "BGN/PCGN"},
		{"Russian transcription of Korean", Query{Name: "Ким Чен Ын", Kind: "party"}, "", "SDN-20157", Possible, "Russian transcription of Korean"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := ix.Search(tc.q)
			if len(ms) == 0 {
				t.Fatalf("no match")
			}
			m := &ms[0]
			if tc.wantID != "" {
				m = nil
				for i := range ms {
					if ms[i].ID == tc.wantID {
						m = &ms[i]
						break
					}
				}
				if m == nil {
					t.Fatalf("%s not found; got %s %s %.3f", tc.wantID, ms[0].ID, ms[0].Name, ms[0].Score)
				}
			}
			if m.Strength != Strong && (tc.min == Strong || m.Strength != Possible) {
				t.Errorf("%s strength %q (%.3f), want at least %s: %s", m.ID, m.Strength, m.Score, tc.min, m.Explanation)
			}
			if !strings.Contains(m.Explanation, tc.explain) {
				t.Errorf("explanation %q does not say %q", m.Explanation, tc.explain)
			}
			if tc.plain != "" {
				pq := tc.q
				pq.Name = tc.plain
				var pm *Match
				for _, x := range ix.Search(pq) {
					if x.ID == m.ID {
						pm = &x
						break
					}
				}
				if pm == nil || pm.Score != m.Score {
					t.Errorf("plain spelling %q screens otherwise: %+v, look-alike %.3f", tc.plain, pm, m.Score)
				}
			}
			t.Logf("%s %s %.3f: %s", m.ID, m.Name, m.Score, m.Explanation)
		})
	}
}

var scriptQueries = []Query{
	{Name: "조선광업개발무역회사"}, {Name: "김정은", Kind: "party"}, {Name: "丹东鸿祥实业发展有限公司"},
	{Name: "长安海连技术有限公司"}, {Name: "Аркадий Ротенберг"}, {Name: "Ким Чен Ын"},
	{Name: "KОREA KWANGSОN BANKING CORPORATION"}, {Name: "ＫＯＭＩＤ"}, {Name: "Tаnchоn Cоmmеrciаl Bаnk"},
	{Name: "평양무역회사"},
}

// BenchmarkSearchScripts screens names written in Hangul, Chinese
// characters, Cyrillic and look-alike letters (each read in up to three
// ways) against the UN and OFAC lists.
func BenchmarkSearchScripts(b *testing.B) {
	_, _, ix := realLists(b)
	i := 0
	c0 := cpuTime()
	for b.Loop() {
		ix.Search(scriptQueries[i%len(scriptQueries)])
		i++
	}
	cpu := float64(cpuTime()-c0) / float64(b.N)
	b.ReportMetric(cpu, "cpu-ns/op")
	b.ReportMetric(1e9/cpu, "queries/cpu-s")
}
