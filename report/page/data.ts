// The data the report page renders, as report/build.ts writes it: this file is the contract
// between the build (Node) and the page (the browser), and holds types and names only.
//
// The page opens with what the first table needs, inline in index.html: the run's metadata,
// the view (report/view.ts) without its per-case arrays, and one compact row per case (its
// matrix cells, deduplicated into tables). What a case's detail dialog and the search need is
// in script files beside index.html, loaded when first asked for, so that opening the report
// costs the same whatever the size of each case's record.
import type { InitiatorKind, Topic } from '../../model/case.ts';
import type { Agreement, CaseRecord, EngineId, EngineResult, ResultsFile, SpecExpectation } from '../../model/results.ts';
import type { EvaluatedClaim } from '../claims.ts';
import type { Reproduction } from '../reproduce.ts';
import type { ReportView } from '../view.ts';

/** What one engine did in one case, as its matrix cell shows it, with the verdict. */
export interface EngineCell {
  outcome: EngineResult['outcome'];
  preflight: EngineResult['preflight'];
  contentReadable?: EngineResult['contentReadable'];
  signal?: string;
  /** The engine's reason, kept for a harness error only: the cell shows it then. */
  reason?: string;
  /** Absent: no verdict. */
  agreement?: Agreement;
}

/** The spec model's expectation, as its matrix cell shows it. */
export type SpecCell = Pick<SpecExpectation, 'outcome' | 'preflight' | 'contentReadable' | 'reason'>;

/** A case's initiator: the words the matrix shows (model/case.ts initiatorLabel) and the kind it filters on. */
export interface InitiatorForm {
  label: string;
  kind: InitiatorKind | 'fetch';
}

/** One case: id, title, and indexes into the tables of CaseTable (-1: none). `cells` is
 *  parallel to PageData.engines. */
export type Row = [id: string, title: string, topic: number, initiator: number, spec: number, cells: number[]];

export interface CaseTable {
  topics: Topic[];
  initiators: InitiatorForm[];
  specs: SpecCell[];
  cells: EngineCell[];
  rows: Row[];
}

/** A claim as the page shows it: the evidence rows are counted, not listed. */
export type PageClaim = Omit<EvaluatedClaim, 'evidence'> & { evidenceRows: number };

export type PageView = Omit<ReportView, 'reproduce' | 'initiatorLabels' | 'claims'> & { claims: PageClaim[] };

/** Everything about one case that its detail dialog shows. */
export interface CaseDetail {
  record: CaseRecord;
  reproduce: Reproduction;
}

export interface PageData {
  /** Names this build: a data file from another build of the same folder is refused. */
  build: string;
  run: Omit<ResultsFile, 'cases'>;
  view: PageView;
  /** The engine columns, in order. */
  engines: EngineId[];
  table: CaseTable;
  files: {
    /** Cases [k × size, (k + 1) × size) are in details[k]. */
    chunkSize: number;
    /** Each a script beside index.html that hands over CaseDetail[]. */
    details: string[];
    /** A script that hands over string[], parallel to the rows: each case's request and
     *  response headers, URL, method and page origin, lowercase, for the search. */
    search: string;
  };
}

/** The element of index.html that holds PageData as JSON. */
export const DATA_ELEMENT = 'cc-data';

/** The global function a data file calls: `ccData(build, name, json)`. */
export const DATA_CALLBACK = 'ccData';
