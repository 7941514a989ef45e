// Docs as code: clone a site into a folder of Markdown files, then status,
// pull (three-way merge) and push (drafts or live), with a state file in
// place of the file system provider's memory. No VS Code here.
export {
  articleFilePath, clone, executePush, planPush, pull, status,
  type CloneOptions, type CloneResult, type LocalChange, type PullAction, type PullEntry, type PullResult,
  type PushAction, type PushItem, type PushMode, type PushOutcome, type PushPlan, type ServerChange,
  type StatusResult, type SyncOptions, type TrackedStatus,
} from './sync';
export { CONFLICT_END, CONFLICT_MIDDLE, CONFLICT_START, hasConflictMarkers, mergeText, type MergeOutcome } from './merge';
export { NotAClonedFolderError, STATE_DIR, STATE_FILE, hashText, readState, type FileState, type SyncState } from './state';
