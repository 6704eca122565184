mod path;
