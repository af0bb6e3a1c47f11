package rest_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

func TestApps(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("GET", "/admin/apps", nil).Expect(t, 200, `{"apps":[]}`)
	// Apps are installed by plugins; put one in as a plugin would.
	if _, err := e.DB.Exec(`INSERT INTO oauth (id, display_name, application_name, install_url, data)
		VALUES ('oauth_1', 'Test App', 'testapp', 'https://example.com/install', '{"state":"abc"}')`); err != nil {
		t.Fatal(err)
	}
	app := `{"id":"oauth_1","display_name":"Test App","application_name":"testapp","install_url":"https://example.com/install",
		"uninstall_url":null,"data":{"state":"abc"}}`
	// Medusa reads no query parameters here.
	e.Do("GET", "/admin/apps?x=1", nil).Expect(t, 200, `{"apps":[`+app+`]}`)
	e.Do("GET", "/admin/apps", nil).MatchesSpec(t, "GET", "/admin/apps")

	e.Do("POST", "/admin/apps/authorizations", map[string]any{"application_name": "nope", "state": "s", "code": "c"}).
		Expect(t, 404, `{"type":"not_found","message":"Oauth application nope not found"}`)
	// No OAuth plugin handles the app: Medusa means this error but fails with a 500 instead.
	e.Do("POST", "/admin/apps/authorizations", map[string]any{"application_name": "testapp", "state": "abc", "code": "c"}).
		Expect(t, 400, `{"type":"invalid_data","message":"An OAuth handler for Test App could not be found make sure the plugin is installed"}`)

	e.Do("POST", "/admin/apps/authorizations", map[string]any{"state": 5, "zz": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property zz should not exist, application_name should not be empty, `+
			`application_name must be a string, state must be a string, code should not be empty, code must be a string"}`)
	e.Do("POST", "/admin/apps/authorizations", map[string]any{"application_name": "", "state": "", "code": ""}).
		Expect(t, 400, `{"type":"invalid_data","message":"application_name should not be empty, state should not be empty, code should not be empty"}`)

	e.DoAnon("GET", "/admin/apps", nil).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/apps/authorizations", map[string]any{"application_name": "testapp", "state": "abc", "code": "c"}).
		ExpectText(t, 401, "Unauthorized")

	// Nothing changed.
	e.Do("GET", "/admin/apps", nil).Expect(t, 200, `{"apps":[`+app+`]}`)
}
