/**
 * Bull Board at /admin/queues: the BullMQ queues' jobs (waiting, active, failed, delayed), with
 * retry, promote and clean, for operators. Admin scope only, by bearer key or by the dashboard's
 * session cookie (an admin signed in to the dashboard opens it in the same browser); its own UI
 * cannot send X-CSRF-Token, so a change made with the cookie must carry the browser's
 * `Sec-Fetch-Site: same-origin` instead (with the SameSite=Strict cookie, another site's page
 * cannot make one).
 */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../shared/errors";
import type { Queues } from "../../shared/queues/producers";

export const QUEUE_BOARD_PATH = "/admin/queues";

export default async function queueBoardPlugin(app: FastifyInstance, opts: { queues: Queues }) {
  const board = new FastifyAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    // Partitions share queue names: the board keys queues by name, so each gets its partition's.
    queues: [
      ...opts.queues.partitions.flatMap((p) =>
        [p.enrichItems, p.updateRollups].map((q) => new BullMQAdapter(q, opts.queues.partitions.length > 1 ? { prefix: `p${p.partition}/` } : {})),
      ),
      ...[opts.queues.backfillSearch, opts.queues.sweepPending, opts.queues.evaluateAlerts, opts.queues.deliverNotifications].map((q) => new BullMQAdapter(q)),
    ],
    serverAdapter: board,
  });
  const requireAdmin = app.requireScope("admin", { sessionSameOrigin: true });
  await app.register(async (scope) => {
    // Answered here in the API's error format: the board's own error handler would reshape it.
    scope.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        await requireAdmin.call(scope, req, reply, () => {});
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return reply.code(err.statusCode).send({ error: err.code, message: err.message });
      }
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
