package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/examples"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/server"
)

// demoSites are the example site files --demo uploads, for whom, and
// whether the demo accepts them as the authority would: the Vietnamese
// plant's is accepted, so that its plan's export line is assessed; the
// province's waits for the demo reviewer, claimed, not reviewed.
var demoSites = []struct {
	file, org string
	accept    bool
}{
	{"sites/north-hamgyong.yaml", "province", false},
	{"sites/vn-camau.yaml", "vietnam", true},
}

// seedDemoSites uploads the example site files before the example plans
// are submitted: a plan version is assessed against the site files
// uploaded before it was submitted.
func seedDemoSites(ctx context.Context, e *env, srv *server.Server, orgs map[string]tradeplan.Organisation, folder string) error {
	svc := srv.Licensing()
	if svc == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no licensing service")
	}
	src, dir := fs.FS(examples.FS), "examples"
	if folder != "" {
		src, dir = os.DirFS(folder), folder
	}
	a := tradeplan.SystemActor("demo")
	for _, d := range demoSites {
		path := filepath.Join(dir, d.file)
		b, err := fs.ReadFile(src, d.file)
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(e.stdout, "(example site file %s not found; the demo goes on without it)\n", path)
			continue
		}
		if err != nil {
			return err
		}
		org := orgs[d.org]
		sf, err := svc.UploadSites(ctx, a, org.ID, plan.YAML, b)
		if err != nil {
			return fmt.Errorf("example site file %s: %w", path, err)
		}
		status := "claimed, not reviewed: a reviewer of the authority may accept it"
		if d.accept {
			if _, err := svc.ReviewSites(ctx, a, org.ID, sf.Version, true, "accepted by the demo so that its plan's exports are assessed"); err != nil {
				return err
			}
			status = "accepted by the demo"
		}
		fmt.Fprintf(e.stdout, "Site file %s uploaded for %s (organisation %d): %s.\n", path, org.Name, org.ID, status)
	}
	return nil
}
