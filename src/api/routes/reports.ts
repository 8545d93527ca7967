import { Router, type Request } from 'express';
import type { Sent } from '../../contract/api';
import type { MonitoringReport } from '../../contract/reports';
import { caseScope } from '../authorization';
import { ProblemError } from '../problem';
import { reportCsv, reportXlsx } from '../../reports/export';
import { buildReport, loadCaseFacts, monitoringFilters } from '../../reports/monitoring';
import { type ApiDeps, endpoint, type RequestContext } from './context';

/** Monitoring reports for funders and planning: the table as JSON, CSV and XLSX (same cells). */
export function reportsRouter(deps: ApiDeps): Router {
  const router = Router();

  const monitoring = async (req: Request, ctx: RequestContext): Promise<MonitoringReport> => {
    const now = new Date();
    const filters = monitoringFilters(req.query, now);
    if (Array.isArray(filters)) throw new ProblemError(422, { title: 'Validation Failed', detail: 'Filtri non validi', errors: filters });
    if (filters.ambito !== undefined && (await deps.prisma.ambito.count({ where: { id: filters.ambito } })) === 0) {
      throw new ProblemError(422, { title: 'Validation Failed', detail: 'Filtri non validi', errors: [{ path: 'ambito', message: 'Ambito sconosciuto' }] });
    }
    const [cases, comuni] = await Promise.all([
      loadCaseFacts(deps.prisma, caseScope(ctx.actor), filters, now),
      deps.prisma.comune.findMany({ select: { code: true, name: true } }),
    ]);
    return buildReport(cases, filters, new Map(comuni.map((c) => [c.code, c.name])), now);
  };
  const filename = (r: MonitoringReport, ext: string) => `attachment; filename="monitoraggio-${r.from}-${r.to}.${ext}"`;

  router.get(
    '/monitoring',
    endpoint(deps, 'report.monitoring', async (req, ctx) => ({ body: (await monitoring(req, ctx)) satisfies Sent<MonitoringReport> })),
  );
  router.get(
    '/monitoring.csv',
    endpoint(deps, 'report.monitoring', async (req, ctx) => {
      const report = await monitoring(req, ctx);
      return { body: null, headers: { 'Content-Disposition': filename(report, 'csv') }, raw: { contentType: 'text/csv; charset=utf-8', data: reportCsv(report) } };
    }),
  );
  router.get(
    '/monitoring.xlsx',
    endpoint(deps, 'report.monitoring', async (req, ctx) => {
      const report = await monitoring(req, ctx);
      return {
        body: null,
        headers: { 'Content-Disposition': filename(report, 'xlsx') },
        raw: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: await reportXlsx(report) },
      };
    }),
  );
  return router;
}
