-- What a person sees besides the form of a task (resolved from the step's `context`).
ALTER TABLE "tasks" ADD COLUMN "context" JSONB;
