export { createZoomRecordingSource, ZOOM_AUTH_HINT, ZOOM_PAGE_SIZE } from './zoom-client.js'
export { meetingPathSegment } from './meeting-path.js'
export { monthWindows } from './month-windows.js'
