// Download statistics shaped for the dashboard, statistics and package pages: day ranges from
// the admin's clock, zero-filled for the charts. The rows come from packages/download-stats-store.ts.
import { downloadsByDay, topPackages as topPackagesSince, versionDownloads as versionDownloadsSince } from "../src/packages/download-stats-store.ts";
import type { Services } from "../src/services.ts";
import { lastDays, type ChartPoint } from "./components/bar-chart.ts";

export async function downloadsPerDay(services: Services, days: number, packageId?: number): Promise<ChartPoint[]> {
  const range = lastDays(services.now(), days);
  const byDay = await downloadsByDay(services.db, range[0] ?? "", packageId);
  return range.map((day) => ({ label: day, value: byDay.get(day) ?? 0 }));
}

export function topPackages(services: Services, days: number, limit: number) {
  return topPackagesSince(services.db, lastDays(services.now(), days)[0] ?? "", limit);
}

export function versionDownloads(services: Services, packageId: number, days: number) {
  return versionDownloadsSince(services.db, packageId, lastDays(services.now(), days)[0] ?? "");
}
