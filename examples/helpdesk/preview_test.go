package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo shows, per channel, what the contact would see: the form the
// channel takes and the message drawn in it.
func TestThePreviewShowsWhatTheContactSeesOnEachChannel(t *testing.T) {
	_, srv := newMemoryApp(t)
	var got []previewJSON
	require.Equal(t, http.StatusOK, callJSON(t, srv, "GET", "/api/preview?language=es", nil, &got))
	by := map[string]previewJSON{}
	for _, p := range got {
		by[p.Channel] = p
	}
	require.Len(t, by, 4, "%+v", got)
	assert.Equal(t, "list", by["whatsapp"].Format, "five faces: a WhatsApp list")
	assert.Contains(t, by["whatsapp"].Seen, "[ Elegir ▾ ]")
	assert.Contains(t, by["whatsapp"].Seen, "😄 Excelente")
	assert.Equal(t, "buttons", by["messenger"].Format)
	assert.Contains(t, by["messenger"].Seen, "[ 😄 Excelente ]")
	assert.Equal(t, "text", by["email"].Format)
	assert.Equal(t, "nps", by["telegram"].Survey)
	assert.Equal(t, "text", by["telegram"].Format, "a channel without limits: text")
	for _, p := range got {
		assert.NotEmpty(t, p.Seen, p.Channel)
	}
	var bad map[string]any
	assert.Equal(t, http.StatusBadRequest, callJSON(t, srv, "GET", "/api/preview?language=!!", nil, &bad))
}
