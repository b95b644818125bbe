package server

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// pathID reads the {id} path value as a positive integer; anything else is
// ENotFound (there is no such thing), worded with what.
func pathID(r *http.Request, what string) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, tradeplan.Errorf(tradeplan.ENotFound, "%s %s not found", what, quoteShort(s))
	}
	return id, nil
}

// queryInt reads an optional integer query parameter; ok is false when absent.
func queryInt(q url.Values, name string, min, max int64) (v int64, ok bool, err error) {
	s := q.Get(name)
	if s == "" {
		return 0, false, nil
	}
	v, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil || v < min || v > max {
		return 0, false, &tradeplan.Error{Code: tradeplan.EInvalid,
			Message:  name + ": want an integer from " + strconv.FormatInt(min, 10) + " to " + strconv.FormatInt(max, 10) + ", got " + quoteShort(s),
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: name}, Message: "want an integer from " + strconv.FormatInt(min, 10) + " to " + strconv.FormatInt(max, 10)}}}
	}
	return v, true, nil
}

const maxID = 1<<63 - 1

// Organisations.

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "parent_id", "kind")
	if err != nil {
		return err
	}
	var f tradeplan.OrgFilter
	if pid, ok, err := queryInt(q, "parent_id", 1, maxID); err != nil {
		return err
	} else if ok {
		f.ParentID = &pid
	}
	if k := q.Get("kind"); k != "" {
		kind := tradeplan.OrgKind(k)
		if !kind.Valid() {
			return tradeplan.Errorf(tradeplan.EInvalid, "kind: want one of authority, province, agency, site, company; got %s", quoteShort(k))
		}
		f.Kind = &kind
	}
	orgs, err := s.accounts.Orgs(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"orgs": orgs})
	return nil
}

type orgCreate struct {
	ParentID int64             `json:"parent_id"`
	Name     string            `json:"name"`
	Kind     tradeplan.OrgKind `json:"kind"`
	Country  string            `json:"country"`
}

// createOrg creates an organisation below one of the admin's subtree. Roots
// are made with the command line only.
func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req orgCreate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	o, err := s.accounts.CreateOrg(r.Context(), tradeplan.Organisation{
		ParentID: req.ParentID, Name: req.Name, Kind: req.Kind, Country: req.Country,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/orgs/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, o)
	return nil
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "organisation")
	if err != nil {
		return err
	}
	o, err := s.accounts.Org(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// Users.

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "org_id", "role")
	if err != nil {
		return err
	}
	var f tradeplan.UserFilter
	if oid, ok, err := queryInt(q, "org_id", 1, maxID); err != nil {
		return err
	} else if ok {
		f.OrgID = &oid
	}
	if rs := q.Get("role"); rs != "" {
		role := tradeplan.Role(rs)
		if !role.Valid() {
			return tradeplan.Errorf(tradeplan.EInvalid, "role: want one of submitter, reviewer, compliance, admin; got %s", quoteShort(rs))
		}
		f.Role = &role
	}
	users, err := s.accounts.Users(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
	return nil
}

type userCreate struct {
	OrgID    int64          `json:"org_id"`
	Email    string         `json:"email"`
	Name     string         `json:"name"`
	Role     tradeplan.Role `json:"role"`
	Password string         `json:"password"`
}

type userCreated struct {
	User     tradeplan.User `json:"user"`
	Password string         `json:"password,omitempty"`
}

// createUser creates a user in an organisation of the admin's subtree. With
// no password given, one is generated and returned this once.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req userCreate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	var generated string
	if req.Password == "" {
		generated = NewPassword()
		req.Password = generated
	}
	u, err := s.accounts.CreateUser(r.Context(), tradeplan.User{
		OrgID: req.OrgID, Email: req.Email, Name: req.Name, Role: req.Role,
	}, req.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, userCreated{User: u, Password: generated})
	return nil
}

// NewPassword returns a random password of 24 URL-safe characters (144
// bits), for users created without one.
func NewPassword() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic("server: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// API tokens.

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	toks, err := s.accounts.Tokens(r.Context(), actor(r).User.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": toks})
	return nil
}

type tokenCreate struct {
	Name   string `json:"name"`
	UserID int64  `json:"user_id"`
}

type tokenCreated struct {
	Token  tradeplan.APIToken `json:"token"`
	Secret string             `json:"secret"`
}

// createToken creates an API token for the caller or, for an admin, for a
// user of their subtree.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	a := actor(r)
	var req tokenCreate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" || len(req.Name) > 100 {
		return &tradeplan.Error{Code: tradeplan.EInvalid, Message: "name: want 1 to 100 characters saying what the token is for",
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: "name"}, Message: "want 1 to 100 characters"}}}
	}
	uid := a.User.ID
	if req.UserID != 0 {
		uid = req.UserID
	}
	secret, t, err := s.accounts.CreateToken(r.Context(), uid, req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenCreated{Token: t, Secret: secret})
	return nil
}

// revokeToken revokes one of the caller's tokens or, for an admin, a token
// of a user of their subtree.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "token")
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Audit log.

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "after", "limit", "subject")
	if err != nil {
		return err
	}
	f := tradeplan.AuditFilter{Limit: 100}
	if v, ok, err := queryInt(q, "after", 0, maxID); err != nil {
		return err
	} else if ok {
		f.AfterSeq = v
	}
	if v, ok, err := queryInt(q, "limit", 1, 1000); err != nil {
		return err
	} else if ok {
		f.Limit = int(v)
	}
	if subj := q.Get("subject"); subj != "" {
		if len(subj) > 200 {
			return tradeplan.Errorf(tradeplan.EInvalid, "subject: at most 200 bytes")
		}
		f.Subject = subj
	}
	entries, err := s.accounts.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	resp := map[string]any{"entries": entries}
	if len(entries) == f.Limit {
		resp["next_after"] = entries[len(entries)-1].Seq
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	res, err := s.accounts.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
