module github.com/surveyflow/surveyflow/store/internal/sqlstore

go 1.25.0

require github.com/stretchr/testify v1.12.1

require (
	github.com/looplab/fsm v1.0.3 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/text v0.41.0 // indirect
)
