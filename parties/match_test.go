package parties

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"breve and apostrophe", "Ch'ŏl-Chae", "chol chae"},
		{"abbreviation", "S.A. de C.V.", "sa de cv"},
		{"legal punctuation", "Co.,Ltd.", "co ltd"},
		{"curly apostrophe", "CHO’N MYO’NG", "chon myong"},
		{"hangul kept", "김철삼", "김철삼"},
		{"special letters", "Łódź Straße", "lodz strasse"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFoldEquivalences(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"Ri Lee", "lee", "ri", true},
		{"Pak Park", "park", "pak", true},
		{"Paek Baek", "baek", "paek", true},
		{"Choe Choi", "choi", "choe", true},
		{"Jong Chong Jeong", "jeong", "chong", true},
		{"Chol Cheol", "cheol", "chol", true},
		{"Chul Chol", "chul", "chol", true},
		{"Ryu Yoo", "yoo", "ryu", true},
		{"Shin Sin", "shin", "sin", true},
		{"Kim Pak differ", "kim", "pak", false},
		{"Ryonhap Yonhap", "ryonhap", "yonhap", true},
		{"Ryongbong Yongbong", "ryongbong", "yongbong", true},
		{"Arkadiy Arkady", "arkadiy", "arkady", true},
		{"Dmitrii Dmitry", "dmitrii", "dmitry", true},
		{"Ryu Yu", "ryu", "yu", true},
		{"Kim Kimmy differ", "kim", "kimmy", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := makeToken(tc.a), makeToken(tc.b)
			if (a.fold == b.fold) != tc.same {
				t.Errorf("fold(%s)=%q fold(%s)=%q, want same=%v", tc.a, a.fold, tc.b, b.fold, tc.same)
			}
		})
	}
}

func TestSearchReal(t *testing.T) {
	_, _, ix := realLists(t)
	tests := []struct {
		name     string
		q        Query
		wantID   string
		strength string
		explain  string
	}{
		{"exact scores 1", Query{Name: "NAMCHONGANG TRADING CORPORATION"}, "KPe.004", Strong, "namchongang=namchongang"},
		{"Lee for Ri", Query{Name: "Lee Je Son", Kind: "party"}, "KPi.002", Strong, "lee~ri (romanisation table"},
		{"spacing", Query{Name: "Nam Chon Gang Trading"}, "KPe.004", Strong, "spacing"},
		{"passport beats name", Query{Name: "Nobody", Document: "381420754"}, "KPi.006", Strong, "document number"},
		{"vessel IMO", Query{IMO: "IMO 7937317", Kind: VesselKind}, "SDN-17069", Strong, "IMO number 7937317"},
		{"vessel spacing", Query{Name: "Chonmasan", Kind: VesselKind}, "SDN-23729", Strong, "spacing"},
		{"DOB mismatch lowers", Query{Name: "Ri Je Son", DOB: "1990"}, "KPi.002", Strong, "-0.15"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := ix.Search(tc.q)
			var m *Match
			for i := range ms {
				if ms[i].ID == tc.wantID {
					m = &ms[i]
					break
				}
			}
			if m == nil {
				t.Fatalf("%s not found; got %+v", tc.wantID, ms)
			}
			if ms[0].Score != m.Score {
				t.Errorf("%s scores %.3f, below the first %s %.3f", tc.wantID, m.Score, ms[0].ID, ms[0].Score)
			}
			if tc.name == "DOB mismatch lowers" {
				if m.Score >= m.NameScore {
					t.Errorf("DOB 1990 did not lower %.3f (name %.3f)", m.Score, m.NameScore)
				}
			} else if m.Strength != tc.strength {
				t.Errorf("strength %q, want %q (%.3f)", m.Strength, tc.strength, m.Score)
			}
			if !strings.Contains(m.Explanation, tc.explain) {
				t.Errorf("explanation %q does not say %q", m.Explanation, tc.explain)
			}
			if m.Version == "" || m.Citation == "" || m.Query == "" {
				t.Errorf("missing version, citation or query: %+v", m)
			}
		})
	}
	if ms := ix.Search(Query{Name: "NAMCHONGANG TRADING CORPORATION"}); ms[0].Score != 1 {
		t.Errorf("exact name scores %v, want 1", ms[0].Score)
	}
}

func TestScreener(t *testing.T) {
	_, _, ix := realLists(t)
	var s tradeplan.PartyScreener = ix
	fs := s.ScreenParty(tradeplan.Party{Name: "Lee Je Son", Country: "KP"})
	if len(fs) == 0 {
		t.Fatal("no finding for Lee Je Son")
	}
	f := fs[0]
	if f.Kind != tradeplan.KindParty || f.Outcome != tradeplan.Prohibited || f.Strength() != Strong || f.Query() != "lee je son" ||
		f.EntryVersion() == "" || f.Citation() == "" || f.Explanation == "" || f.List() == "" || f.EntryID() == "" {
		t.Errorf("finding %+v", f)
	}
	if fs := s.ScreenParty(tradeplan.Party{Name: "Haeundae Fresh Fish Market"}); len(fs) != 0 {
		t.Errorf("unlisted company: %+v", fs)
	}
	vs := s.ScreenVessel(tradeplan.Vessel{Name: "Chon Ma San"})
	if len(vs) == 0 || vs[0].Kind != tradeplan.KindVessel || vs[0].EntryID() != "SDN-23729" {
		t.Errorf("vessel findings %+v", vs)
	}
	vs = s.ScreenVessel(tradeplan.Vessel{Name: "Some Other Name", IMO: "8132835"})
	if len(vs) == 0 || vs[0].Score() != 1 || vs[0].Outcome != tradeplan.Prohibited {
		t.Errorf("IMO findings %+v", vs)
	}
	// The version changes with the entry's content.
	e, _ := ix.Entry("un", "KPi.002")
	c := *e
	c.Aliases = append([]Alias{}, c.Aliases...)
	c.Aliases = append(c.Aliases, Alias{Name: "X", Quality: QualityGood})
	if c.Version() == e.Version() {
		t.Error("entry version did not change with an alias")
	}
}

func TestLoadDatasets(t *testing.T) {
	needData(t)
	un, err := ReadDataset(unPath)
	if err != nil {
		t.Fatal(err)
	}
	of, err := ReadDataset(ofacPath)
	if err != nil {
		t.Fatal(err)
	}
	if un.Format != FormatUN || un.Version != "2026-02-27" || of.Format != FormatOFAC || len(of.Files) != 4 || of.Counts["vessel"] != 406 {
		t.Errorf("datasets: %s %s %v / %s %d", un.Format, un.Version, un.Counts, of.Format, len(of.Files))
	}
	// Loading both lists is what realLists does (and TestLoadStore loads a
	// dataset); here a bad dataset is refused.
	bad := of
	bad.Files = append([]tradeplan.DatasetFile{}, of.Files...)
	bad.Files[0] = tradeplan.DatasetFile{Name: "sdn.csv", Content: []byte("x,1\n")}
	if _, err := Load(bad); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
		t.Errorf("bad dataset: %v", err)
	}
}

// cpuTime is the CPU time the process has used: on a shared, busy machine
// it measures the work done where wall time measures the queue too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkLoad(b *testing.B) {
	needData(b)
	c0 := cpuTime()
	for b.Loop() {
		if _, err := LoadFiles(unPath, ofacPath); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

func BenchmarkIndexMemory(b *testing.B) {
	needData(b)
	var ix *Index
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		var err error
		ix, err = LoadFiles(unPath, ofacPath)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-heap")
	runtime.KeepAlive(ix)
}

var benchQueries = []Query{
	{Name: "Lee Je Son"}, {Name: "Namchongang Trading Co., Ltd."}, {Name: "Kim Min Jun"},
	{Name: "Dandong Jinhai Seafood Trading Co., Ltd."}, {Name: "Korea Kumsan Trading Corporation"},
	{Name: "Wang Wei"}, {Name: "Hwang Seok Hwa", DOB: "1940"}, {Name: "Chonmasan", Kind: VesselKind},
	{Name: "Ocean Maritime Management Company"}, {Name: "Park Seo Yeon", Country: "KR"},
}

func BenchmarkSearch(b *testing.B) {
	_, _, ix := realLists(b)
	i := 0
	c0 := cpuTime()
	for b.Loop() {
		ix.Search(benchQueries[i%len(benchQueries)])
		i++
	}
	cpu := float64(cpuTime()-c0) / float64(b.N)
	b.ReportMetric(cpu, "cpu-ns/op")
	b.ReportMetric(1e9/cpu, "queries/cpu-s")
}

// BenchmarkSearchParallel runs searches on every core (GOMAXPROCS).
func BenchmarkSearchParallel(b *testing.B) {
	_, _, ix := realLists(b)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			ix.Search(benchQueries[i%len(benchQueries)])
			i++
		}
	})
}

// TestConcurrentSearch runs searches with non-ASCII names from several
// goroutines (run with -race).
func TestConcurrentSearch(t *testing.T) {
	_, _, ix := realLists(t)
	queries := []string{"Ch'ŏl Ri", "Paek Ch’ang-ho", "金铁三", "Nam-chon-gang Trading", "Müller GmbH"}
	done := make(chan []string)
	for g := 0; g < 4; g++ {
		go func() {
			var got []string
			for i := 0; i < 50; i++ {
				for _, q := range queries {
					if ms := ix.Search(Query{Name: q}); len(ms) > 0 {
						got = append(got, ms[0].ID)
					} else {
						got = append(got, "")
					}
				}
			}
			done <- got
		}()
	}
	first := <-done
	for g := 1; g < 4; g++ {
		if got := <-done; strings.Join(got, ",") != strings.Join(first, ",") {
			t.Fatal("concurrent searches disagree")
		}
	}
}

// BenchmarkSearchScanBaseline is the baseline: every listed name scored
// for every query, without the index (what a matcher without candidate
// retrieval does).
func BenchmarkSearchScanBaseline(b *testing.B) {
	_, _, ix := realLists(b)
	i := 0
	for b.Loop() {
		q := benchQueries[i%len(benchQueries)]
		qf := parseName(Normalize(q.Name), false)
		ix.setWeights(&qf)
		qs := makeSpans(qf.toks)
		var al aligner
		best := 0.0
		for ni := range ix.names {
			best = max(best, al.score(&qf, qs, &ix.names[ni], false))
		}
		i++
	}
}

type memStore map[string]tradeplan.Dataset

func (m memStore) PutDataset(_ context.Context, d tradeplan.Dataset) error { m[d.Name] = d; return nil }
func (m memStore) Dataset(_ context.Context, kind, name string) (tradeplan.Dataset, error) {
	d, ok := m[name]
	if !ok {
		return d, tradeplan.Errorf(tradeplan.ENotFound, "no dataset %s/%s", kind, name)
	}
	return d, nil
}
func (m memStore) Datasets(context.Context) ([]tradeplan.Dataset, error) { return nil, nil }

func TestLoadStore(t *testing.T) {
	s := memStore{}
	if _, err := LoadStore(context.Background(), s); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
		t.Fatalf("empty store: %v", err)
	}
	d := UNDataset("sample.xml", []byte(unSample))
	if err := FinishDataset(&d, time.Now()); err != nil {
		t.Fatal(err)
	}
	if d.Version != "2026-01-02" || d.Counts["entries"] != 2 || d.SHA256 == "" {
		t.Errorf("dataset %+v", d)
	}
	s.PutDataset(context.Background(), d)
	ix, err := LoadStore(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.Lists()) != 1 || ix.Lists()[0].List != "un" {
		t.Errorf("lists %+v", ix.Lists())
	}
}

func TestExplain(t *testing.T) {
	_, _, ix := realLists(t)
	tests := []struct {
		name, query, list, id, want string
		code                        string
	}{
		{"strong", "Lee Je Son", "un", "KPi.002", "lee~ri", ""},
		{"weak", "Kim Je Son", "un", "KPi.002", "je=je", ""},
		{"unrelated", "Haeundae Fish", "un", "KPi.002", "no word of the query pairs", ""},
		{"unknown entry", "x", "un", "KPi.999", "", tradeplan.ENotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ix.Explain(Query{Name: tc.query}, tc.list, tc.id)
			if tradeplan.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if err == nil && !strings.Contains(m.Explanation, tc.want) {
				t.Errorf("explanation %q does not say %q", m.Explanation, tc.want)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good.xml":
			w.Write([]byte(unSample))
		case "/bad.xml":
			w.Write([]byte("<html>maintenance</html>"))
		case "/ofac/sdn.csv":
			w.Write([]byte(sdnSample))
		case "/ofac/alt.csv", "/ofac/add.csv", "/ofac/sdn_comments.csv":
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	st := memStore{}
	ctx := context.Background()
	rs := Update(ctx, srv.Client(), st, Sources{UN: srv.URL + "/good.xml", OFAC: srv.URL + "/ofac"})
	if len(rs) != 2 || rs[0].Err != nil || !rs[0].Changed || rs[1].Err != nil || !rs[1].Changed || st["un"].Version != "2026-01-02" {
		t.Fatalf("first update: %+v", rs)
	}
	rs = Update(ctx, srv.Client(), st, Sources{UN: srv.URL + "/good.xml"}, "un")
	if len(rs) != 1 || rs[0].Changed || rs[0].Err != nil {
		t.Errorf("unchanged update: %+v", rs)
	}
	before := st["un"].SHA256
	rs = Update(ctx, srv.Client(), st, Sources{UN: srv.URL + "/bad.xml", OFAC: srv.URL + "/missing"})
	if rs[0].Err == nil || rs[1].Err == nil || !strings.Contains(rs[1].Err.Error(), "404") || st["un"].SHA256 != before {
		t.Errorf("failed update: %+v", rs)
	}
}

// The parts of a load, apart.
func BenchmarkParseUN(b *testing.B) {
	needData(b)
	d, err := readDataset(unPath)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParseDataset(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseOFAC(b *testing.B) {
	needData(b)
	d, err := readDataset(ofacPath)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParseDataset(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewIndex(b *testing.B) {
	un, ofac, _ := realLists(b)
	for b.Loop() {
		NewIndex(un, ofac)
	}
}
