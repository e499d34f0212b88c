package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	_ "modernc.org/sqlite"
)

func Example() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:") // a file: "file:surveys.db?_pragma=busy_timeout(5000)"
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // an in-memory database lives in one connection

	st, err := sqlite.New(db)
	if err != nil {
		panic(err)
	}
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	clock := surveytest.NewClock(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	engine, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	if err != nil {
		panic(err)
	}
	conv := surveytest.NewConversation("conv-1", "maria", clock.Now()).Tenant("acme").Language("es").
		Agent("ana", "Ana", survey.Human, "support").ContactSays("hola").AgentSays("ana", "listo").Closed()
	if _, err := engine.ConversationClosed(ctx, conv); err != nil {
		panic(err)
	}
	res, err := engine.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: "whatsapp", MessageID: "m1", Text: "5"})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Consumed, res.Session.State, res.Session.Rating, res.Session.Version)
	// Output: true awaiting_comment 5 2
}

// Survey state written in the host's own transaction: the engine is built
// once, and each request runs it on a store made for that request's
// *sql.Tx, so the survey session commits or rolls back with the host's
// rows. With a file and concurrent requests, open it with
// "file:surveys.db?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_txlock=immediate".
func Example_hostTransaction() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	st, err := sqlite.New(db)
	if err != nil {
		panic(err)
	}
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE closed (conversation TEXT)"); err != nil {
		panic(err)
	}
	clock := surveytest.NewClock(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	engine, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	if err != nil {
		panic(err)
	}

	// One request: the host records the close and the survey starts, in one transaction.
	conv := surveytest.NewConversation("conv-1", "maria", clock.Now()).Tenant("acme").Language("es").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		panic(err)
	}
	inTx, err := sqlite.New(tx)
	if err != nil {
		panic(err)
	}
	res, err := engine.WithStore(inTx).ConversationClosed(ctx, conv)
	if err != nil {
		panic(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO closed VALUES (?)", conv.ID); err != nil {
		panic(err)
	}
	if err := tx.Commit(); err != nil {
		panic(err)
	}

	stored, err := st.Load(ctx, "acme", res.Session.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(stored.State, len(res.Outbound))
	// Output: awaiting_rating 1
}
