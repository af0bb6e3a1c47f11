package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/notifications", a.listNotifications)
		r.Post("/notifications/{id}/resend", a.resendNotification)
	})
}

// notificationFields are Medusa's defaultAdminNotificationsFields: its notification answers show
// only these columns (plus the loaded relations).
var notificationFields = []string{"id", "resource_type", "resource_id", "event_name", "to", "provider_id", "created_at", "updated_at"}

// cvSplit splits Medusa's comma-separated string parameters.
func cvSplit(s *string) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, p := range strings.Split(*s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// GET /admin/notifications: Medusa's AdminGetNotificationsParams. The answer has no count, offset
// or limit, as Medusa's has none.
func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := store.Page{Limit: cvQueryInt(q, "limit", 50), Offset: cvQueryInt(q, "offset", 0)}
	fields := cvSplit(cvQueryString(q, "fields"))
	p.Expand = cvSplit(cvQueryString(q, "expand"))
	f := store.NotificationFilter{
		EventName:    cvSplit(cvQueryString(q, "event_name")),
		ResourceType: cvSplit(cvQueryString(q, "resource_type")),
		ResourceID:   cvSplit(cvQueryString(q, "resource_id")),
		To:           cvSplit(cvQueryString(q, "to")),
	}
	if inc := cvQueryString(q, "include_resends"); inc != nil {
		switch *inc {
		case "true", "false", "1", "0":
			// Medusa leaves resends out only when the parameter is absent or "false".
			f.IncludeResends = *inc != "false"
		default:
			q.fail("include_resends must be a boolean string")
		}
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	list, err := a.store.ListNotifications(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": pickNotification(list, fields, p.Expand)})
}

// resendNotificationRequest is Medusa's AdminPostNotificationsNotificationResendReq.
type resendNotificationRequest struct {
	To json.RawMessage `json:"to"`
}

func (a *API) resendNotification(w http.ResponseWriter, r *http.Request) {
	var body resendNotificationRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	to, _ := cvString(&v, "to", body.To, false)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	n, err := a.store.ResendNotification(r.Context(), chi.URLParam(r, "id"), to)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notification": pickNotification(n, nil, nil)})
}

// pickNotification keeps, of a notification or a list of them, the given fields (default:
// notificationFields) and the relations (default: resends), as Medusa's lodash pick does; an
// expanded relation that found nothing shows null.
func pickNotification(v any, fields, relations []string) any {
	if len(fields) == 0 {
		fields = notificationFields
	}
	if len(relations) == 0 {
		relations = store.NotificationRelations
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return v
	}
	keep := map[string]bool{}
	for _, f := range fields {
		keep[f] = true
	}
	var rels []string
	for _, rel := range relations {
		top, _, _ := strings.Cut(rel, ".")
		keep[top] = true
		rels = append(rels, top)
	}
	pick := func(m map[string]any) {
		for k := range m {
			if !keep[k] {
				delete(m, k)
			}
		}
		for _, rel := range rels {
			if _, ok := m[rel]; !ok {
				m[rel] = nil
			}
		}
	}
	switch g := generic.(type) {
	case []any:
		for _, item := range g {
			if m, ok := item.(map[string]any); ok {
				pick(m)
			}
		}
	case map[string]any:
		pick(g)
	}
	return generic
}
