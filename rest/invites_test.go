package rest_test

import (
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

func TestInvitesFlow(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/invites", map[string]any{"user": "joiner@test.com", "role": "member"}).ExpectText(t, 200, "OK")
	// Inviting again with another role updates the pending invite instead of adding one.
	e.Do("POST", "/admin/invites", map[string]any{"user": "joiner@test.com", "role": "developer"}).ExpectText(t, 200, "OK")
	res := e.Do("GET", "/admin/invites", nil)
	res.Expect(t, 200, `{"invites":[{"id":"$id:invite","user_email":"joiner@test.com","role":"developer","accepted":false,
		"token":"$string","expires_at":"$time","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}]}`)
	inv := res.JSON(t)["invites"].([]any)[0].(map[string]any)
	id, token := inv["id"].(string), inv["token"].(string)

	e.Do("POST", "/admin/invites/"+id+"/resend", nil).ExpectText(t, 200, "OK")
	e.Do("POST", "/admin/invites/invite_missing/resend", nil).Expect(t, 400, `{"type":"invalid_data","message":"Invite doesn't exist"}`)

	e.DoAnon("POST", "/admin/invites/accept", map[string]any{"token": "bad", "user": map[string]any{"first_name": "J", "last_name": "O", "password": "pw"}}).
		Expect(t, 400, `{"type":"invalid_data","message":"Token is not valid"}`)
	var fresh string
	if err := e.DB.QueryRow(`SELECT token FROM invite WHERE id = ?`, id).Scan(&fresh); err != nil {
		t.Fatal(err)
	}
	_ = token
	e.DoAnon("POST", "/admin/invites/accept", map[string]any{"token": fresh, "user": map[string]any{"first_name": "J", "last_name": "O", "password": "pw"}}).
		ExpectText(t, 200, "OK")
	e.DoAnon("POST", "/admin/invites/accept", map[string]any{"token": fresh, "user": map[string]any{"first_name": "J", "last_name": "O", "password": "pw"}}).
		Expect(t, 400, `{"type":"invalid_data","message":"Invalid invite"}`)
	e.DoAnon("POST", "/admin/auth", map[string]any{"email": "joiner@test.com", "password": "pw"}).Expect(t, 200,
		`{"user":{"id":"$id:usr","email":"joiner@test.com","first_name":"J","last_name":"O","api_token":null,"role":"developer",
		"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)
	e.Do("GET", "/admin/invites", nil).Expect(t, 200, `{"invites":[]}`)
	e.Do("POST", "/admin/invites", map[string]any{"user": "joiner@test.com", "role": "member"}).
		Expect(t, 400, `{"type":"invalid_data","message":"Can't invite a user with an existing account"}`)
}

func TestInvitesBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/invites", map[string]any{"user": "x", "role": "king"}).
		Expect(t, 400, `{"type":"invalid_data","message":"user must be an email, role must be a valid enum value"}`)
	e.DoAnon("POST", "/admin/invites", map[string]any{"user": "a@b.co", "role": "member"}).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/invites/accept", map[string]any{"token": "x", "user": map[string]any{"first_name": "a", "extra": 2}}).
		Expect(t, 400, `{"type":"invalid_data","message":"property extra should not exist, last_name must be a string, password must be a string"}`)
	e.Do("POST", "/admin/invites", map[string]any{"user": "x", "role": "king", "zz": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property zz should not exist, user must be an email, role must be a valid enum value"}`)
	e.DoAnon("POST", "/admin/invites/accept", map[string]any{}).
		Expect(t, 400, `{"type":"invalid_data","message":"token should not be empty, token must be a string, user should not be empty"}`)
	e.Do("DELETE", "/admin/invites/invite_x", nil).Expect(t, 200, `{"id":"invite_x","object":"invite","deleted":true}`)
	e.Do("GET", "/admin/invites", nil).Expect(t, 200, `{"invites":[]}`)
}

// Invites are listed as PostgreSQL stores them (Medusa reads them without an ORDER BY): an invite
// resent, or invited again, is rewritten and comes last.
func TestInvitesListOrder(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	for _, u := range []string{"carl@test.com", "anna@test.com", "bert@test.com"} {
		e.Do("POST", "/admin/invites", map[string]any{"user": u, "role": "member"}).ExpectText(t, 200, "OK")
	}
	list := func(users ...string) string {
		var parts []string
		for _, u := range users {
			u, role, ok := strings.Cut(u, ":")
			if !ok {
				role = "member"
			}
			parts = append(parts, `{"id":"$id:invite","user_email":"`+u+`","role":"`+role+`","accepted":false,"token":"$string",
				"expires_at":"$time","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}`)
		}
		return `{"invites":[` + strings.Join(parts, ",") + `]}`
	}
	res := e.Do("GET", "/admin/invites", nil)
	res.Expect(t, 200, list("carl@test.com", "anna@test.com", "bert@test.com"))
	carl := res.JSON(t)["invites"].([]any)[0].(map[string]any)["id"].(string)
	e.Do("POST", "/admin/invites/"+carl+"/resend", nil).ExpectText(t, 200, "OK")
	e.Do("GET", "/admin/invites", nil).Expect(t, 200, list("anna@test.com", "bert@test.com", "carl@test.com"))
	e.Do("POST", "/admin/invites", map[string]any{"user": "anna@test.com", "role": "developer"}).ExpectText(t, 200, "OK")
	e.Do("GET", "/admin/invites", nil).Expect(t, 200, list("bert@test.com", "carl@test.com", "anna@test.com:developer"))
}
