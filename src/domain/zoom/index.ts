export { chooseZoomFiles, KEPT_FILE_TYPES, type ZoomFileChoice, type ZoomFileFacts } from './choose-files.js'
