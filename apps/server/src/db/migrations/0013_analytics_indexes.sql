ALTER TABLE "conversations" ADD COLUMN "handoff_group_id" text;--> statement-breakpoint
CREATE INDEX "bot_feedback_created_idx" ON "bot_feedback" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "conversations_created_idx" ON "conversations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "conversations_handoff_idx" ON "conversations" USING btree ("handoff_requested_at") WHERE handoff_requested_at is not null;--> statement-breakpoint
CREATE INDEX "conversations_assigned_idx" ON "conversations" USING btree ("assigned_at") WHERE assigned_at is not null;--> statement-breakpoint
CREATE INDEX "messages_bot_outcome_idx" ON "messages" USING btree ("created_at") WHERE sender_type = 'bot' and payload->>'kind' in ('answer', 'clarify', 'no_answer');--> statement-breakpoint
CREATE INDEX "messages_agent_idx" ON "messages" USING btree ("conversation_id","created_at") WHERE sender_type = 'agent';