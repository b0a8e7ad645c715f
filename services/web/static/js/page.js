// Pages with nothing but the shared chrome (the home page).
import { initChrome } from "./ui.js";

initChrome();
