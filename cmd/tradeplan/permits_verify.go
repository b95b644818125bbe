package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/permitsig"
)

// maxSignedFile bounds a signed permit read for verification.
const maxSignedFile = 1 << 20

func permitsSigned(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "permits signed", "permits signed [--db DSN] ID")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan permits signed: want one permit id")
		return exitUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id < 1 {
		fmt.Fprintf(e.stderr, "tradeplan permits signed: %q is not a permit id\n", fs.Arg(0))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "permits signed", err)
	}
	defer db.Close()
	s, err := svc.SignedPermit(cliActorContext(ctx, e), workflowActor, id)
	if err != nil {
		return dbFail(e, "permits signed", err)
	}
	e.stdout.Write(s.Text())
	return exitOK
}

func permitsVerify(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "permits verify", "permits verify [--keys FILE | --db DSN] FILE|-")
	keysFile := fs.String("keys", "", "the public keys (`FILE` from 'tradeplan keys list --public'): verify offline, without the database")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan permits verify: want one file of a signed permit, or - for standard input")
		return exitUsage
	}
	name := fs.Arg(0)
	text, err := readLimited(e, name)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan permits verify: %v\n", err)
		return exitUsage
	}
	var v licensing.Verification
	if *keysFile != "" {
		if *dsn != "" {
			fmt.Fprintln(e.stderr, "tradeplan permits verify: --keys verifies offline; give --keys or --db, not both")
			return exitUsage
		}
		keys, err := readKeys(*keysFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan permits verify: --keys: %v\n", err)
			return exitUsage
		}
		doc, err := permitsig.Parse(text)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan permits verify: %s: %s\n", name, tradeplan.ErrorMessage(err))
			return exitUsage
		}
		r := permitsig.Verify(doc, keys)
		v = licensing.Verification{Number: doc.Number, Genuine: r.OK(), Outcome: r.Outcome, Reason: r.Reason, Key: doc.Key}
		if r.OK() {
			v.Reason += "; offline: its status today (suspended, revoked, balance) is not known without the registry"
		}
	} else {
		db, svc, err := openWorkflow(ctx, e, *dsn)
		if err != nil {
			return dbFail(e, "permits verify", err)
		}
		defer db.Close()
		if v, err = svc.VerifyDocument(ctx, text); err != nil {
			if tradeplan.ErrorCode(err) == tradeplan.EInvalid {
				fmt.Fprintf(e.stderr, "tradeplan permits verify: %s: %s\n", name, tradeplan.ErrorMessage(err))
				return exitUsage
			}
			return dbFail(e, "permits verify", err)
		}
	}
	if *asJSON {
		if err := dbJSON(e.stdout, v); err != nil {
			return dbFail(e, "permits verify", err)
		}
	} else {
		verdict := "NOT GENUINE"
		if v.Genuine {
			verdict = "GENUINE"
			if v.Status != "" && v.Status != tradeplan.PermitIssued {
				verdict = "GENUINE BUT " + strings.ToUpper(string(v.Status))
			}
		}
		fmt.Fprintf(e.stdout, "%s  %s  %s: %s\n", v.Number, verdict, v.Outcome, v.Reason)
		if v.Genuine && v.Status != "" {
			left := ""
			if v.QuantityLeft != nil {
				left = v.QuantityLeft.String() + " " + v.Unit
			}
			fmt.Fprintf(e.stdout, "  status %s; crossing %s %s; left %s\n", v.Status, v.Crossing, v.CrossingStatus, left)
		}
	}
	if !v.Genuine || (v.Status != "" && v.Status != tradeplan.PermitIssued) {
		return exitFindings
	}
	return exitOK
}

func readLimited(e *env, name string) ([]byte, error) {
	var r io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSignedFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxSignedFile {
		return nil, fmt.Errorf("%s: more than %d bytes: not a signed permit", name, maxSignedFile)
	}
	return b, nil
}

func readKeys(name string) ([]permitsig.PublicKey, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var pk publicKeys
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pk); err != nil {
		return nil, fmt.Errorf("%s: want the JSON of 'tradeplan keys list --public': %v", name, err)
	}
	if len(pk.Keys) == 0 {
		return nil, fmt.Errorf("%s: no keys", name)
	}
	return pk.Keys, nil
}
