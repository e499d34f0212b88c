module github.com/surveyflow/surveyflow/examples

go 1.25.0

require github.com/surveyflow/surveyflow v0.0.0

replace github.com/surveyflow/surveyflow => ../
